package dev.runctl.cli.report;

import dev.runctl.engine.metrics.Metrics;
import dev.runctl.engine.spi.MetricPoint;
import dev.runctl.engine.state.AtomicFile;
import dev.runctl.engine.state.JournalLoader;
import dev.runctl.engine.state.RunFolder;
import dev.runctl.engine.state.RunState;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code runctl report RUN}: one self-contained HTML file ({@code report.html} in the run folder):
 * outcome and cost, a timeline of every attempt, a chart per metric, the resolved spec, the
 * artifacts with sizes and the tail of each step's log. No network at view time: inline SVG and
 * CSS, and a few lines of JavaScript for the hover read-out.
 */
public final class RunReport {
  static final int LOG_LINES = 40;
  private static final Pattern CKPT = Pattern.compile("(?i)(?:ckpt|checkpoint)\\D*(\\d+)");

  private RunReport() {}

  /** Writes the report of {@code folder} (whose state is {@code state}) and returns its path. */
  public static Path write(RunFolder folder, RunState state, String status) throws IOException {
    Path file = folder.dir().resolve("report.html");
    AtomicFile.write(file, html(folder, state, status).getBytes(StandardCharsets.UTF_8));
    return file;
  }

  static String html(RunFolder folder, RunState s, String status) throws IOException {
    Instant now = Instant.now();
    Timeline timeline = Timeline.of(JournalLoader.load(folder.journal(), false).records(), now);
    Map<String, List<MetricPoint>> metrics = Metrics.read(folder.dir());
    List<Artifacts.Entry> artifacts = Artifacts.list(folder.artifacts());
    StringBuilder b = new StringBuilder(64 * 1024);
    Page.open(b, s.job() + " · " + s.runId());
    b.append("<header><div class=\"title\"><h1>")
        .append(Html.esc(s.job()))
        .append("</h1><div class=\"sub\">run ")
        .append(Html.esc(s.runId()))
        .append("</div></div>")
        .append("<div class=\"outcome o-")
        .append(Html.esc(status))
        .append("\" id=\"outcome\">")
        .append(Html.esc(status))
        .append("</div></header>");
    b.append("<section class=\"facts\">");
    fact(b, "cost", s.cost().map(c -> "$" + c).orElse("—"));
    fact(b, "took", TimelineSvg.human(s.elapsed(now)));
    fact(b, "started", s.startedAt().toString().replace('T', ' ').replaceFirst("\\.\\d+", ""));
    fact(b, "attempts", Integer.toString(timeline.bars().size()));
    fact(b, "resumes", Integer.toString(s.resumes()));
    metrics.forEach(
        (step, points) ->
            Metrics.latest(points)
                .forEach((k, v) -> fact(b, k + " (last)", MetricPoint.number(v))));
    b.append("</section>");
    if (!s.reason().isEmpty()) {
      b.append("<p class=\"reason\">").append(Html.esc(s.reason())).append("</p>");
    }
    b.append("<h2>Timeline</h2>").append(TimelineSvg.svg(timeline)).append(Page.LEGEND);
    b.append("<h2>Metrics</h2>");
    if (metrics.isEmpty()) {
      b.append(
          "<p class=\"none\">No metrics were reported (append JSON lines to"
              + " <code>$RUNCTL_METRICS</code>).</p>");
    }
    b.append("<div class=\"charts\">");
    metrics.forEach(
        (step, points) -> {
          String xName = points.get(0).xName();
          TreeSet<String> series = new TreeSet<>();
          points.forEach(p -> series.addAll(p.values().keySet()));
          if (!xName.equals("epoch") && series.size() > 1) {
            series.remove("epoch"); // a staircase; the step axis says it better
          }
          for (String name : series) {
            String title = metrics.size() > 1 ? step + " · " + name : name;
            b.append("<figure><figcaption>")
                .append(Html.esc(title))
                .append("</figcaption>")
                .append(
                    Chart.svg(
                        title,
                        xName,
                        List.of(Chart.Curve.of(step, name, points)),
                        checkpoints(artifacts, points)))
                .append("</figure>");
          }
        });
    b.append("</div><h2>Spec</h2><pre class=\"spec\" id=\"spec\">")
        .append(Html.esc(read(folder.spec())))
        .append("</pre><h2>Artifacts</h2>");
    Artifacts.table(b, artifacts);
    b.append("<h2>Logs</h2>");
    for (String step : timeline.steps()) {
      Path log = folder.log(step);
      if (Files.exists(log)) {
        b.append("<details class=\"log\"><summary>")
            .append(Html.esc(step))
            .append(" <span class=\"dim\">last ")
            .append(LOG_LINES)
            .append(" lines</span></summary><pre>")
            .append(Html.esc(Tail.lines(log, LOG_LINES)))
            .append("</pre></details>");
      }
    }
    Page.close(b);
    return b.toString();
  }

  private static void fact(StringBuilder b, String name, String value) {
    b.append("<div class=\"fact\"><div class=\"k\">")
        .append(Html.esc(name))
        .append("</div><div class=\"v\">")
        .append(Html.esc(value))
        .append("</div></div>");
  }

  /**
   * Where the checkpoints collected into the artifacts fall on the x axis: a checkpoint named with
   * its epoch ({@code ckpt-epoch-0007.json}) at the x of the point that reported that epoch (or at
   * 7 when x is the epoch); one named with its step at that step.
   */
  static List<Double> checkpoints(List<Artifacts.Entry> artifacts, List<MetricPoint> points) {
    String xName = points.get(0).xName();
    Map<Double, Double> xOfEpoch = new TreeMap<>();
    points.forEach(
        p -> {
          Double epoch = p.values().get("epoch");
          if (epoch != null) {
            xOfEpoch.putIfAbsent(epoch, p.x());
          }
        });
    TreeSet<Double> out = new TreeSet<>();
    for (Artifacts.Entry e : artifacts) {
      String name = Path.of(e.path()).getFileName().toString();
      Matcher m = CKPT.matcher(name);
      if (!m.find()) {
        continue;
      }
      double n = Double.parseDouble(m.group(1));
      boolean byEpoch = name.toLowerCase(java.util.Locale.ROOT).contains("epoch");
      if (byEpoch && xName.equals("step")) {
        if (xOfEpoch.containsKey(n)) {
          out.add(xOfEpoch.get(n));
        }
      } else if (!xName.equals("line") && byEpoch == xName.equals("epoch")) {
        out.add(n);
      }
    }
    return new ArrayList<>(out);
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(the spec could not be read: " + e.getMessage() + ")";
    }
  }
}
