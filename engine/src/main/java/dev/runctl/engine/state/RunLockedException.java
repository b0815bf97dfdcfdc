package dev.runctl.engine.state;

import dev.runctl.engine.ErrorCategory;
import dev.runctl.engine.RunctlException;
import java.util.Optional;

/** Another live process holds the run (exit code 3). */
public final class RunLockedException extends RunctlException {
  private static final long serialVersionUID = 1L;
  private final transient Optional<LockHolder> holder;

  public RunLockedException(String runId, Optional<LockHolder> holder) {
    super(
        ErrorCategory.LOCKED,
        "run "
            + runId
            + " is held by another live runctl process ("
            + holder.map(LockHolder::describe).orElse("holder unknown")
            + ")",
        "wait for it to end, follow it with `runctl logs "
            + runId
            + " --follow`, or stop it with `runctl cancel "
            + runId
            + "`",
        null);
    this.holder = holder;
  }

  public Optional<LockHolder> holder() {
    return holder;
  }
}
