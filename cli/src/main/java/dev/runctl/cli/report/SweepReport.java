package dev.runctl.cli.report;

import dev.runctl.engine.metrics.Metrics;
import dev.runctl.engine.spi.MetricPoint;
import dev.runctl.engine.state.AtomicFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A sweep as one self-contained HTML file: a table of its children (a column per matrix key and per
 * metric's last value, sortable by clicking a header), and a chart per metric with every child's
 * curve overlaid, drawn by the run report's {@link Chart}.
 */
public final class SweepReport {
  private SweepReport() {}

  /** One child: {@code lastMetrics} the last value of each series, {@code runDir} its folder. */
  public record Child(
      int index,
      String runId,
      Map<String, String> combination,
      String status,
      long elapsedMillis,
      Map<String, Double> lastMetrics,
      Path runDir) {}

  public record Sweep(String sweepId, String job, String status, List<Child> children) {}

  /**
   * Writes {@code report.html} into {@code dir}, whole (temp file, then moved); it links each
   * child's report by a path relative to {@code dir}, so the state folder can be moved or shared.
   */
  public static Path write(Path dir, Sweep sweep) throws IOException {
    Path file = dir.resolve("report.html");
    AtomicFile.write(file, html(dir, sweep).getBytes(StandardCharsets.UTF_8));
    return file;
  }

  static String html(Path dir, Sweep sweep) {
    Set<String> keys = new LinkedHashSet<>();
    Set<String> metrics = new TreeSet<>();
    sweep.children().forEach(c -> keys.addAll(c.combination().keySet()));
    sweep.children().forEach(c -> metrics.addAll(c.lastMetrics().keySet()));
    StringBuilder b = new StringBuilder(64 * 1024);
    Page.open(b, sweep.job() + " · sweep " + sweep.sweepId());
    b.append("<header><div class=\"title\"><h1>")
        .append(Html.esc(sweep.job()))
        .append("</h1><div class=\"sub\">sweep ")
        .append(Html.esc(sweep.sweepId()))
        .append(" · ")
        .append(sweep.children().size())
        .append(" children</div></div><div class=\"outcome o-")
        .append(Html.esc(sweep.status()))
        .append("\" id=\"outcome\">")
        .append(Html.esc(sweep.status()))
        .append("</div></header>");
    b.append("<h2>Children</h2><p class=\"dim\">Click a header to sort by it.</p>")
        .append("<table class=\"sortable\" id=\"children\"><thead><tr><th>#</th>");
    keys.forEach(k -> b.append("<th class=\"key\">").append(Html.esc(k)).append("</th>"));
    b.append("<th>status</th><th>duration</th>");
    metrics.forEach(m -> b.append("<th class=\"metric\">").append(Html.esc(m)).append("</th>"));
    b.append("<th>run</th></tr></thead><tbody>");
    for (Child c : sweep.children()) {
      b.append("<tr class=\"child\" data-run=\"")
          .append(Html.esc(c.runId()))
          .append("\"><td class=\"num\">")
          .append(c.index())
          .append("</td>");
      keys.forEach(
          k ->
              b.append("<td>")
                  .append(Html.esc(c.combination().getOrDefault(k, "")))
                  .append("</td>"));
      b.append("<td><span class=\"sw o-")
          .append(Html.esc(c.status()))
          .append("\"></span>&#160;&#160;")
          .append(Html.esc(c.status()))
          .append("</td><td class=\"num\" data-v=\"")
          .append(c.elapsedMillis())
          .append("\">")
          .append(
              c.elapsedMillis() < 0 ? "—" : TimelineSvg.human(Duration.ofMillis(c.elapsedMillis())))
          .append("</td>");
      for (String m : metrics) {
        Double v = c.lastMetrics().get(m);
        b.append("<td class=\"num\"")
            .append(v == null ? "" : " data-v=\"" + MetricPoint.number(v) + "\"")
            .append('>')
            .append(v == null ? "—" : MetricPoint.number(v))
            .append("</td>");
      }
      Path report = c.runDir().resolve("report.html");
      b.append("<td>");
      if (Files.exists(report)) {
        b.append("<a href=\"")
            .append(Html.esc(relativeLink(dir, report)))
            .append("\">")
            .append(Html.esc(c.runId()))
            .append("</a>");
      } else {
        b.append(Html.esc(c.runId()));
      }
      b.append("</td></tr>");
    }
    b.append("</tbody></table>");
    charts(b, sweep);
    Page.close(b);
    return b.toString();
  }

  /** {@code target} as a link from a page in {@code dir}: relative, '/'-separated, encoded. */
  static String relativeLink(Path dir, Path target) {
    Path rel = dir.toAbsolutePath().normalize().relativize(target.toAbsolutePath().normalize());
    StringBuilder path = new StringBuilder();
    for (Path part : rel) {
      path.append(path.isEmpty() ? "" : "/").append(part);
    }
    try {
      return new java.net.URI(null, null, path.toString(), null).getRawPath();
    } catch (java.net.URISyntaxException e) {
      throw new IllegalArgumentException("no link to " + target + ": " + e.getMessage(), e);
    }
  }

  /** A chart per metric, each child one curve named by its combination. */
  private static void charts(StringBuilder b, Sweep sweep) {
    Map<String, List<Chart.Curve>> curves = new LinkedHashMap<>();
    Map<String, List<Integer>> colours = new LinkedHashMap<>();
    Map<String, String> xNames = new LinkedHashMap<>();
    for (int k = 0; k < sweep.children().size(); k++) {
      Child c = sweep.children().get(k);
      int colour = k;
      String name = c.index() + " " + describe(c.combination());
      for (List<MetricPoint> points : Metrics.read(c.runDir()).values()) {
        if (points.isEmpty()) {
          continue;
        }
        String xName = points.get(0).xName();
        TreeSet<String> series = new TreeSet<>();
        points.forEach(p -> series.addAll(p.values().keySet()));
        if (!xName.equals("epoch") && series.size() > 1) {
          series.remove("epoch");
        }
        for (String s : series) {
          curves.computeIfAbsent(s, x -> new ArrayList<>()).add(Chart.Curve.of(name, s, points));
          colours.computeIfAbsent(s, x -> new ArrayList<>()).add(colour);
          xNames.putIfAbsent(s, xName);
        }
      }
    }
    b.append("<h2>Metrics</h2>");
    if (curves.isEmpty()) {
      b.append("<p class=\"none\">No child reported metrics yet.</p>");
      return;
    }
    b.append("<div class=\"legend\">");
    for (int i = 0; i < sweep.children().size(); i++) {
      Child c = sweep.children().get(i);
      b.append("<span class=\"sw\" style=\"background:")
          .append(Chart.COLOURS[i % Chart.COLOURS.length])
          .append("\"></span>")
          .append(c.index())
          .append(' ')
          .append(Html.esc(describe(c.combination())));
    }
    b.append("</div><div class=\"charts\">");
    curves.forEach(
        (metric, list) ->
            b.append("<figure><figcaption>")
                .append(Html.esc(metric))
                .append("</figcaption>")
                .append(Chart.svg(metric, xNames.get(metric), list, List.of(), colours.get(metric)))
                .append("</figure>"));
    b.append("</div>");
  }

  private static String describe(Map<String, String> combination) {
    return dev.runctl.engine.spec.MatrixSpec.describe(combination);
  }
}
