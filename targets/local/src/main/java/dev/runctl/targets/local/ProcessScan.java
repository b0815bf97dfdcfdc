package dev.runctl.targets.local;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which processes of this computer belong to which run, by the {@code RUNCTL_RUN_ID} their
 * environment was started with. One look at {@code /proc} serves every run asked about within a
 * second ({@code runctl runs} asks about each of hundreds of runs).
 */
final class ProcessScan {
  private static final long FRESH_NANOS = 1_000_000_000L;

  /** A process started with {@code RUNCTL_RUN_ID}, and the {@code RUNCTL_STEP_ID} it had. */
  record Marked(ProcTable.Proc proc, String step) {}

  private Map<String, List<Marked>> byRun;
  private long at;

  /**
   * The live processes whose environment names run {@code runId}; {@code fresh}: a look now, not
   * one up to a second old (before stopping them, when a step may have just started one).
   */
  synchronized List<Marked> marked(String runId, boolean fresh) {
    long now = System.nanoTime();
    if (fresh || byRun == null || now - at > FRESH_NANOS) {
      byRun = scan();
      at = System.nanoTime();
    }
    return byRun.getOrDefault(runId, List.of());
  }

  private static Map<String, List<Marked>> scan() {
    Map<String, List<Marked>> out = new HashMap<>();
    for (ProcTable.Proc p : ProcTable.all()) {
      ProcTable.environ(p.pid(), "RUNCTL_RUN_ID")
          .ifPresent(
              run ->
                  out.computeIfAbsent(run, k -> new ArrayList<>())
                      .add(
                          new Marked(p, ProcTable.environ(p.pid(), "RUNCTL_STEP_ID").orElse("?"))));
    }
    return out;
  }
}
