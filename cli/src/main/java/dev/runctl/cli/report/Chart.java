package dev.runctl.cli.report;

import dev.runctl.engine.spi.MetricPoint;
import java.util.List;

/**
 * One metric as an inline SVG line chart: one line per curve (a run, or each child of a sweep),
 * downsampled for drawing with the extremes kept, checkpoints as dashed vertical marks. The drawn
 * points' values ride along in data attributes for the hover read-out.
 */
final class Chart {
  static final int WIDTH = 720;
  static final int HEIGHT = 220;
  static final int BUCKETS = 300;
  private static final int LEFT = 56;
  private static final int RIGHT = 12;
  private static final int TOP = 12;
  private static final int BOTTOM = 28;
  static final String[] COLOURS = {
    "#2563eb", "#dc2626", "#16a34a", "#9333ea", "#ea580c", "#0891b2", "#ca8a04", "#db2777"
  };

  /** A named line: its x and y values, in x order. */
  record Curve(String name, double[] xs, double[] ys) {
    static Curve of(String name, String series, List<MetricPoint> points) {
      List<MetricPoint> with = points.stream().filter(p -> p.values().containsKey(series)).toList();
      double[] xs = new double[with.size()];
      double[] ys = new double[with.size()];
      for (int i = 0; i < xs.length; i++) {
        xs[i] = with.get(i).x();
        ys[i] = with.get(i).values().get(series);
      }
      return new Curve(name, xs, ys);
    }
  }

  private Chart() {}

  static String svg(String metric, String xName, List<Curve> curves, List<Double> checkpoints) {
    return svg(metric, xName, curves, checkpoints, null);
  }

  /**
   * {@code colours}: the index into {@link #COLOURS} of each curve (a sweep's child keeps its
   * colour in every chart, also where another child has no curve); null: by position.
   */
  static String svg(
      String metric,
      String xName,
      List<Curve> curves,
      List<Double> checkpoints,
      List<Integer> colours) {
    double x0 = Double.MAX_VALUE,
        x1 = -Double.MAX_VALUE,
        y0 = Double.MAX_VALUE,
        y1 = -Double.MAX_VALUE;
    for (Curve c : curves) {
      for (int i = 0; i < c.xs().length; i++) {
        x0 = Math.min(x0, c.xs()[i]);
        x1 = Math.max(x1, c.xs()[i]);
        y0 = Math.min(y0, c.ys()[i]);
        y1 = Math.max(y1, c.ys()[i]);
      }
    }
    if (x1 <= x0) {
      x1 = x0 + 1;
    }
    if (y1 <= y0) {
      y1 = y0 + Math.max(1e-9, Math.abs(y0) * 0.05 + 1e-9);
      y0 = y0 - (y1 - y0);
    }
    double yStep = niceStep(y1 - y0, 4);
    y0 = Math.floor(y0 / yStep) * yStep;
    y1 = Math.ceil(y1 / yStep) * yStep;
    Scale s = new Scale(x0, x1, y0, y1);
    StringBuilder b = new StringBuilder();
    b.append("<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ")
        .append(WIDTH)
        .append(' ')
        .append(HEIGHT)
        .append("\" data-metric=\"")
        .append(Html.esc(metric))
        .append("\" data-xname=\"")
        .append(Html.esc(xName))
        .append("\" data-geom=\"")
        .append(LEFT)
        .append(',')
        .append(WIDTH - RIGHT)
        .append(',')
        .append(x0)
        .append(',')
        .append(x1)
        .append("\">");
    axes(b, s, xName);
    for (double c : checkpoints) {
      if (c >= x0 && c <= x1) {
        b.append("<line class=\"ckpt\" x1=\"")
            .append(Html.px(s.x(c)))
            .append("\" x2=\"")
            .append(Html.px(s.x(c)))
            .append("\" y1=\"")
            .append(TOP)
            .append("\" y2=\"")
            .append(HEIGHT - BOTTOM)
            .append("\"><title>checkpoint at ")
            .append(Html.esc(xName))
            .append(' ')
            .append(MetricPoint.number(c))
            .append("</title></line>");
      }
    }
    for (int k = 0; k < curves.size(); k++) {
      Curve c = curves.get(k);
      int[] idx = Downsample.indexes(c.ys(), BUCKETS);
      StringBuilder pts = new StringBuilder(idx.length * 12);
      StringBuilder xs = new StringBuilder(idx.length * 6);
      StringBuilder ys = new StringBuilder(idx.length * 8);
      for (int i : idx) {
        pts.append(Html.px(s.x(c.xs()[i]))).append(',').append(Html.px(s.y(c.ys()[i]))).append(' ');
        xs.append(MetricPoint.number(c.xs()[i])).append(',');
        ys.append(MetricPoint.number(c.ys()[i])).append(',');
      }
      b.append("<polyline class=\"curve\" fill=\"none\" stroke=\"")
          .append(COLOURS[(colours == null ? k : colours.get(k)) % COLOURS.length])
          .append("\" data-name=\"")
          .append(Html.esc(c.name()))
          .append("\" data-points=\"")
          .append(idx.length)
          .append("\" data-total=\"")
          .append(c.xs().length)
          .append("\" data-xs=\"")
          .append(xs)
          .append("\" data-ys=\"")
          .append(ys)
          .append("\" points=\"")
          .append(pts.toString().trim())
          .append("\"/>");
    }
    b.append("<line class=\"cursor\" x1=\"-10\" x2=\"-10\" y1=\"")
        .append(TOP)
        .append("\" y2=\"")
        .append(HEIGHT - BOTTOM)
        .append("\"/><text class=\"readout\" x=\"")
        .append(WIDTH - RIGHT)
        .append("\" y=\"")
        .append(TOP + 12)
        .append("\" text-anchor=\"end\"></text></svg>");
    return b.toString();
  }

  private static void axes(StringBuilder b, Scale s, String xName) {
    b.append("<rect class=\"plot\" x=\"")
        .append(LEFT)
        .append("\" y=\"")
        .append(TOP)
        .append("\" width=\"")
        .append(WIDTH - LEFT - RIGHT)
        .append("\" height=\"")
        .append(HEIGHT - TOP - BOTTOM)
        .append("\"/>");
    double yStep = niceStep(s.y1 - s.y0, 4);
    for (double yv = s.y0; yv <= s.y1 + yStep / 2; yv += yStep) {
      b.append("<line class=\"grid\" x1=\"")
          .append(LEFT)
          .append("\" x2=\"")
          .append(WIDTH - RIGHT)
          .append("\" y1=\"")
          .append(Html.px(s.y(yv)))
          .append("\" y2=\"")
          .append(Html.px(s.y(yv)))
          .append("\"/>");
      b.append("<text class=\"tick\" x=\"")
          .append(LEFT - 4)
          .append("\" y=\"")
          .append(Html.px(s.y(yv) + 4))
          .append("\" text-anchor=\"end\">")
          .append(MetricPoint.number(yv))
          .append("</text>");
    }
    double xStep = niceStep(s.x1 - s.x0, 5);
    for (double xv = Math.ceil(s.x0 / xStep) * xStep; xv <= s.x1 + xStep / 1e6; xv += xStep) {
      b.append("<text class=\"tick\" x=\"")
          .append(Html.px(s.x(xv)))
          .append("\" y=\"")
          .append(HEIGHT - BOTTOM + 14)
          .append("\" text-anchor=\"middle\">")
          .append(MetricPoint.number(xv))
          .append("</text>");
    }
    b.append("<text class=\"tick\" x=\"")
        .append(WIDTH - RIGHT)
        .append("\" y=\"")
        .append(HEIGHT - 2)
        .append("\" text-anchor=\"end\">")
        .append(Html.esc(xName))
        .append("</text>");
  }

  /** A round step (1, 2 or 5 times a power of ten) that cuts {@code range} in about n parts. */
  static double niceStep(double range, int n) {
    double raw = range / n;
    double mag = Math.pow(10, Math.floor(Math.log10(raw)));
    double r = raw / mag;
    return (r < 1.5 ? 1 : r < 3 ? 2 : r < 7 ? 5 : 10) * mag;
  }

  private record Scale(double x0, double x1, double y0, double y1) {
    double x(double v) {
      return LEFT + (v - x0) / (x1 - x0) * (WIDTH - LEFT - RIGHT);
    }

    double y(double v) {
      return HEIGHT - BOTTOM - (v - y0) / (y1 - y0) * (HEIGHT - TOP - BOTTOM);
    }
  }
}
