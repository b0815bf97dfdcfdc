package dev.runctl.cli;

import dev.runctl.cli.sweep.SweepMark;
import dev.runctl.engine.state.RunFolder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The order {@code runctl runs} lists runs in: newest first, with the children of a sweep together
 * under one line for the sweep, by their number.
 */
final class SweepGroups {
  private SweepGroups() {}

  /** A run to list; {@code sweep} the mark of a sweep's child, {@code first} of its sweep. */
  record Entry(RunFolder folder, Optional<SweepMark> sweep, boolean first) {}

  static List<Entry> order(List<RunFolder> runs) {
    Map<String, List<Entry>> bySweep = new LinkedHashMap<>();
    List<Object> slots = new ArrayList<>();
    for (RunFolder f : runs) {
      Optional<SweepMark> mark = SweepMark.read(f.dir());
      if (mark.isEmpty()) {
        slots.add(new Entry(f, mark, false));
        continue;
      }
      String id = mark.get().sweepId();
      if (!bySweep.containsKey(id)) {
        slots.add(id);
      }
      bySweep.computeIfAbsent(id, k -> new ArrayList<>()).add(new Entry(f, mark, false));
    }
    List<Entry> out = new ArrayList<>();
    for (Object slot : slots) {
      if (slot instanceof Entry e) {
        out.add(e);
        continue;
      }
      List<Entry> children = new ArrayList<>(bySweep.get((String) slot));
      children.sort(Comparator.comparingInt(e -> e.sweep().get().index()));
      for (int i = 0; i < children.size(); i++) {
        Entry e = children.get(i);
        out.add(new Entry(e.folder(), e.sweep(), i == 0));
      }
    }
    return out;
  }

  /**
   * The line of {@code first}'s sweep: its children's outcomes among {@code entries}, and its
   * start, the earliest of its children's ({@code started} of a run id; empty when unreadable).
   */
  static SweepRow row(
      Entry first,
      List<Entry> entries,
      java.util.function.Function<String, String> status,
      java.util.function.Function<String, Optional<java.time.Instant>> started) {
    String sweepId = first.sweep().get().sweepId();
    Map<String, Integer> counts = new LinkedHashMap<>();
    java.time.Instant startedAt = null;
    List<dev.runctl.cli.sweep.SweepRecord.Child> children = new ArrayList<>();
    for (Entry e : entries) {
      if (e.sweep().isPresent() && e.sweep().get().sweepId().equals(sweepId)) {
        counts.merge(status.apply(e.folder().runId()), 1, Integer::sum);
        Optional<java.time.Instant> at = started.apply(e.folder().runId());
        if (at.isPresent() && (startedAt == null || at.get().isBefore(startedAt))) {
          startedAt = at.get();
        }
        children.add(
            new dev.runctl.cli.sweep.SweepRecord.Child(
                e.sweep().get().index(), e.folder().runId(), e.sweep().get().combination()));
      }
    }
    int total = Math.max(children.size(), first.sweep().get().children());
    if (total > children.size()) {
      counts.put(SweepRows.NOT_STARTED, total - children.size());
    }
    String overall =
        counts.containsKey("running")
            ? "running"
            : counts.keySet().equals(java.util.Set.of("succeeded"))
                ? "succeeded"
                : counts.containsKey("failed") ? "failed" : String.join("/", counts.keySet());
    return new SweepRow(
        sweepId,
        dev.runctl.engine.state.RunIds.job(first.folder().runId()),
        overall,
        startedAt == null ? "" : startedAt.toString(),
        total,
        children,
        counts);
  }

  /** The line of a sweep above its children, and in JSON its structure. */
  record SweepRow(
      String sweepId,
      String job,
      String status,
      String startedAt,
      int total,
      List<dev.runctl.cli.sweep.SweepRecord.Child> children,
      Map<String, Integer> counts)
      implements CliEvent {
    public String type() {
      return "sweep";
    }

    public String text() {
      StringBuilder b = new StringBuilder();
      counts.forEach((k, v) -> b.append(b.isEmpty() ? "" : ", ").append(v).append(' ').append(k));
      return RunsCommand.row(sweepId, job, status, startedAt, "", "")
          + "  "
          + total
          + " children: "
          + b;
    }
  }

  /** A child's line, indented under its sweep (text only: JSON has the run's own object). */
  static final class Child implements CliEvent {
    private final CliEvent row;

    Child(CliEvent row) {
      this.row = row;
    }

    public String type() {
      return row.type();
    }

    @Override
    public Tone tone() {
      return row.tone();
    }

    public String text() {
      return row.text().lines().map(l -> "  " + l).reduce((a, c) -> a + "\n" + c).orElse("");
    }
  }
}
