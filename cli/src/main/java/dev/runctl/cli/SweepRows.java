package dev.runctl.cli;

import dev.runctl.cli.sweep.SweepRecord;
import dev.runctl.engine.metrics.Metrics;
import dev.runctl.engine.state.RunFolder;
import dev.runctl.engine.state.RunState;
import dev.runctl.engine.state.RunStore;
import dev.runctl.engine.state.Snapshotter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A sweep's children as they are now: each one's outcome, duration and last metrics. */
final class SweepRows {
  static final String NOT_STARTED = "not started";

  private SweepRows() {}

  static List<SweepLines.ChildRow> of(RunStore store, SweepRecord r) {
    List<SweepLines.ChildRow> rows = new ArrayList<>();
    for (SweepRecord.Child c : r.children()) {
      rows.add(row(store, r.sweepId(), c));
    }
    return rows;
  }

  static SweepLines.ChildRow row(RunStore store, String sweepId, SweepRecord.Child c) {
    RunFolder f = store.folder(c.runId());
    if (!store.exists(c.runId())) {
      return new SweepLines.ChildRow(
          sweepId, c.index(), c.runId(), c.combination(), NOT_STARTED, -1, Map.of());
    }
    String status;
    long elapsed = -1;
    try {
      RunState s = Snapshotter.read(f);
      status = s.runId().isEmpty() ? NOT_STARTED : RunsCommand.liveStatus(f, s);
      elapsed = s.runId().isEmpty() ? -1 : s.elapsed(Instant.now()).toMillis();
    } catch (RuntimeException e) {
      status = "damaged";
    }
    Map<String, Double> last = new TreeMap<>();
    Metrics.read(f.dir()).values().forEach(points -> last.putAll(Metrics.latest(points)));
    return new SweepLines.ChildRow(
        sweepId, c.index(), c.runId(), c.combination(), status, elapsed, last);
  }

  /** How many children are in each outcome, in a fixed order. */
  static Map<String, Integer> counts(List<SweepLines.ChildRow> rows) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (String s :
        List.of("succeeded", "failed", "running", "cancelled", "interrupted", NOT_STARTED)) {
      int n = (int) rows.stream().filter(r -> r.status().equals(s)).count();
      if (n > 0) {
        counts.put(s, n);
      }
    }
    rows.stream()
        .map(SweepLines.ChildRow::status)
        .filter(s -> !counts.containsKey(s))
        .forEach(s -> counts.merge(s, 1, Integer::sum));
    return counts;
  }

  /** The sweep's status: its children's, the worst first. */
  static String status(List<SweepLines.ChildRow> rows) {
    Map<String, Integer> c = counts(rows);
    if (c.containsKey("running")) {
      return "running";
    }
    if (c.size() == 1 && c.containsKey("succeeded")) {
      return "succeeded";
    }
    for (String s : List.of("failed", "damaged", "interrupted", "cancelled")) {
      if (c.containsKey(s)) {
        return s;
      }
    }
    return "incomplete";
  }

  /** What the sweep's report shows of each child. */
  static dev.runctl.cli.report.SweepReport.Sweep report(
      RunStore store, SweepRecord r, List<SweepLines.ChildRow> rows) {
    return new dev.runctl.cli.report.SweepReport.Sweep(
        r.sweepId(),
        r.job(),
        status(rows),
        rows.stream()
            .map(
                row ->
                    new dev.runctl.cli.report.SweepReport.Child(
                        row.index(),
                        row.runId(),
                        row.combination(),
                        row.status(),
                        row.elapsedMillis(),
                        row.metrics(),
                        store.folder(row.runId()).dir()))
            .toList());
  }
}
