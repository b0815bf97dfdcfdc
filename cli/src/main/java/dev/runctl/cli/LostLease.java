package dev.runctl.cli;

import java.util.Optional;

/**
 * What a runctl does when another runctl took over a run it held (its lease lapsed while it was
 * frozen or cut off): it lets go at once, as a kill -9 would, which every run survives. Stopping
 * the steps or running the {@code always} steps would tear down what the new holder now uses, and
 * shutdown hooks (the Ctrl+C handler cancels the run) must not run either: the process halts.
 */
final class LostLease {
  private LostLease() {}

  /** Says {@code why} (which names the new holder) as an error and halts with exit 3. */
  static void letGo(Output out, String runId, String why) {
    out.error(
        why + "; this runctl lets go of it without stopping or tearing down anything",
        Optional.of(
            "the run goes on there: `runctl status "
                + runId
                + "` or `runctl logs "
                + runId
                + " --follow` (with RUNCTL_STATE set) follows it"),
        null,
        false);
    out.flush();
    System.out.flush();
    System.err.flush();
    Runtime.getRuntime().halt(ExitCodes.LOCKED);
  }
}
