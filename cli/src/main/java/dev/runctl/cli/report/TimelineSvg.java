package dev.runctl.cli.report;

import java.time.Duration;
import java.time.Instant;

/** The timeline as SVG: a row per step, a bar per attempt coloured by outcome, gaps hatched. */
final class TimelineSvg {
  private static final int WIDTH = 720;
  private static final int LABEL = 110;
  private static final int ROW = 22;
  private static final int TOP = 8;

  private TimelineSvg() {}

  static String svg(Timeline t) {
    int height = TOP + ROW * Math.max(1, t.steps().size()) + 24;
    double span = Math.max(1, Duration.between(t.start(), t.end()).toMillis());
    StringBuilder b = new StringBuilder();
    b.append("<svg class=\"timeline\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ")
        .append(WIDTH)
        .append(' ')
        .append(height)
        .append("\">")
        .append(
            "<defs><pattern id=\"hatch\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\""
                + " patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"#f3f4f6\"/>"
                + "<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#9ca3af\" stroke-width=\"2\"/>"
                + "</pattern></defs>");
    for (int i = 0; i < t.steps().size(); i++) {
      b.append("<text class=\"label\" x=\"")
          .append(LABEL - 6)
          .append("\" y=\"")
          .append(TOP + ROW * i + 15)
          .append("\" text-anchor=\"end\">")
          .append(Html.esc(t.steps().get(i)))
          .append("</text>");
    }
    for (Timeline.Gap g : t.gaps()) {
      double x = x(t, g.from(), span);
      b.append("<rect class=\"gap\" fill=\"url(#hatch)\" x=\"")
          .append(Html.px(x))
          .append("\" y=\"")
          .append(TOP - 4)
          .append("\" width=\"")
          .append(Html.px(Math.max(2, x(t, g.to(), span) - x)))
          .append("\" height=\"")
          .append(ROW * t.steps().size() + 4)
          .append("\"><title>runctl was" + " not running: ")
          .append(Html.esc(human(Duration.between(g.from(), g.to()))))
          .append(", then a resume reattached</title></rect>");
    }
    for (Timeline.Bar bar : t.bars()) {
      int row = Math.max(0, t.steps().indexOf(bar.step()));
      double x = x(t, bar.from(), span);
      double w = Math.max(3, x(t, bar.to(), span) - x);
      b.append("<rect class=\"bar o-")
          .append(Html.esc(bar.outcome()))
          .append("\" data-step=\"")
          .append(Html.esc(bar.step()))
          .append("\" data-attempt=\"")
          .append(bar.attempt())
          .append("\" data-outcome=\"")
          .append(Html.esc(bar.outcome()))
          .append("\" x=\"")
          .append(Html.px(x))
          .append("\" y=\"")
          .append(TOP + ROW * row + 3)
          .append("\" width=\"")
          .append(Html.px(w))
          .append("\" height=\"")
          .append(ROW - 6)
          .append("\" rx=\"3\"><title>")
          .append(
              Html.esc(
                  bar.step()
                      + " attempt "
                      + bar.attempt()
                      + ": "
                      + bar.outcome()
                      + ", "
                      + human(Duration.between(bar.from(), bar.to()))
                      + (bar.message().isEmpty() ? "" : "\n" + abbreviate(bar.message()))))
          .append("</title></rect>");
    }
    int axis = TOP + ROW * t.steps().size() + 16;
    double stepMs = Math.max(1000, Chart.niceStep(span, 6));
    for (double ms = 0; ms <= span + 1; ms += stepMs) {
      double x = LABEL + ms / span * (WIDTH - LABEL - 4);
      b.append("<line class=\"grid\" x1=\"")
          .append(Html.px(x))
          .append("\" x2=\"")
          .append(Html.px(x))
          .append("\" y1=\"")
          .append(TOP - 4)
          .append("\" y2=\"")
          .append(axis - 12)
          .append("\"/><text class=\"tick\" x=\"")
          .append(Html.px(x))
          .append("\" y=\"")
          .append(axis)
          .append("\" text-anchor=\"middle\">")
          .append(Html.esc(human(Duration.ofMillis((long) ms))))
          .append("</text>");
    }
    b.append("</svg>");
    return b.toString();
  }

  private static double x(Timeline t, Instant at, double span) {
    double ms = Duration.between(t.start(), at).toMillis();
    return LABEL + Math.max(0, Math.min(1, ms / span)) * (WIDTH - LABEL - 4);
  }

  static String human(Duration d) {
    long s = d.toSeconds();
    if (s < 1) {
      return d.isZero() ? "0s" : d.toMillis() + "ms";
    }
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return s / 60 + "m " + s % 60 + "s";
    }
    return s / 3600 + "h " + s % 3600 / 60 + "m";
  }

  private static String abbreviate(String s) {
    return s.length() > 300 ? s.substring(0, 300) + "…" : s;
  }
}
