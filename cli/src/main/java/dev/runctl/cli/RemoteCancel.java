package dev.runctl.cli;

import dev.runctl.engine.mirror.SharedState;
import dev.runctl.engine.state.LockHolder;
import dev.runctl.engine.state.RunFolder;
import dev.runctl.engine.state.RunState;
import dev.runctl.engine.state.Snapshotter;
import java.time.Instant;
import java.util.Optional;

/**
 * {@code runctl cancel} of a run kept in a shared state and held by a runctl on another machine (or
 * by none): the request is an object in the store, which the holder looks for once a poll and turns
 * into its local request.
 */
final class RemoteCancel {
  private RemoteCancel() {}

  static int cancel(Output out, SharedRuns runs, SharedState shared, RunFolder folder, boolean wait)
      throws InterruptedException {
    String runId = folder.runId();
    Optional<LockHolder> holder = shared.holder(runId);
    if (holder.isEmpty()) {
      runs.refresh(folder);
      RunState s = Snapshotter.read(folder);
      out.emit(
          new CancelCommand.CancelRequested(
              runId,
              null,
              "run "
                  + runId
                  + " has no live process here nor in "
                  + shared.describe()
                  + " (it is "
                  + RunsCommand.liveStatus(folder, s)
                  + "); nothing to stop"));
      return ExitCodes.OK;
    }
    String who = holder.get().describe();
    shared.requestCancel(runId);
    if (!wait) {
      out.emit(
          new CancelCommand.CancelRequested(
              runId,
              who,
              "asked "
                  + who
                  + " to stop run "
                  + runId
                  + " (through "
                  + shared.describe()
                  + "); its running steps are stopped and its `always` steps run"));
      return ExitCodes.OK;
    }
    Instant start = Instant.now();
    while (shared.holder(runId).isPresent()) {
      Thread.sleep(500);
    }
    shared.pull(folder);
    RunState s = Snapshotter.read(folder);
    out.emit(CancelCommand.CancelRequested.stopped(runId, who, start, s));
    return ExitCodes.OK;
  }
}
