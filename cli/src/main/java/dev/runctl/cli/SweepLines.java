package dev.runctl.cli;

import dev.runctl.cli.sweep.SweepRecord;
import dev.runctl.engine.spec.MatrixSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** What a sweep prints: its start, its children's lines, and the table of its children. */
final class SweepLines {
  private SweepLines() {}

  /** The first line of a sweep: its id, folder, and every child with its run id. */
  record Started(
      String sweepId,
      String job,
      String sweepDir,
      int maxParallel,
      int atOnce,
      boolean failFast,
      List<SweepRecord.Child> children)
      implements CliEvent {
    public String type() {
      return "sweep";
    }

    public String text() {
      StringBuilder b =
          new StringBuilder("sweep ")
              .append(sweepId)
              .append(": ")
              .append(children.size())
              .append(children.size() == 1 ? " child" : " children")
              .append(", at most ")
              .append(atOnce)
              .append(" at once")
              .append(failFast ? ", fail_fast" : "");
      for (SweepRecord.Child c : children) {
        b.append("\n  ")
            .append(c.index())
            .append("  ")
            .append(c.runId())
            .append("  ")
            .append(MatrixSpec.describe(c.combination()));
      }
      return b.toString();
    }
  }

  /**
   * A child run's line in text mode, prefixed with the child's number and combination (JSON has the
   * run's own line, which names the child's run id).
   */
  static final class ChildLine implements CliEvent {
    private final String label;
    private final CliEvent line;

    ChildLine(String label, CliEvent line) {
      this.label = label;
      this.line = line;
    }

    public String type() {
      return line.type();
    }

    @Override
    public Tone tone() {
      return line.tone();
    }

    public String text() {
      String text = line.text();
      return text.isEmpty()
          ? ""
          : text.lines().map(l -> "[" + label + "] " + l).collect(Collectors.joining("\n"));
    }
  }

  /** A note about the sweep (a child not run again, the sweep stopping). */
  record Note(String sweepId, String message) implements CliEvent {
    public String type() {
      return "sweep_note";
    }

    public String text() {
      return message;
    }
  }

  /** One child: its combination, outcome, duration and the last value of each metric. */
  record ChildRow(
      String sweepId,
      int index,
      String runId,
      Map<String, String> combination,
      String status,
      long elapsedMillis,
      Map<String, Double> metrics)
      implements CliEvent {
    public String type() {
      return "sweep_child";
    }

    public String text() {
      String m =
          metrics.entrySet().stream()
              .map(e -> e.getKey() + "=" + dev.runctl.engine.spi.MetricPoint.number(e.getValue()))
              .collect(Collectors.joining(" "));
      return String.format(
          "  %-3d %-42s %-28s %-12s %9s  %s",
          index,
          runId,
          MatrixSpec.describe(combination),
          status,
          elapsedMillis < 0 ? "-" : RunLines.elapsed(Duration.ofMillis(elapsedMillis)),
          m);
    }
  }

  static String header() {
    return String.format(
        "  %-3s %-42s %-28s %-12s %9s  %s",
        "#", "RUN", "COMBINATION", "STATUS", "DURATION", "LAST METRICS");
  }

  /** The sweep's outcome, after its table. */
  record Ended(
      String sweepId, String status, Map<String, Integer> counts, String report, int exitCode)
      implements CliEvent {
    public String type() {
      return "sweep_ended";
    }

    public String text() {
      return "sweep "
          + sweepId
          + " "
          + status
          + ": "
          + counts.entrySet().stream()
              .map(e -> e.getValue() + " " + e.getKey())
              .collect(Collectors.joining(", "))
          + (report == null ? "" : "\nreport: " + report);
    }
  }
}
