package dev.runctl.cli;

import dev.runctl.engine.ErrorCategory;
import dev.runctl.engine.RunctlException;
import dev.runctl.engine.state.LockHolder;
import dev.runctl.engine.state.RunFolder;
import dev.runctl.engine.state.RunLock;
import dev.runctl.engine.state.RunState;
import dev.runctl.engine.state.Snapshotter;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code runctl cancel RUN_ID}: ask the live process of a run to stop it. */
@Command(
    name = "cancel",
    mixinStandardHelpOptions = true,
    description = {
      "Ask the live runctl process of a run to stop it, as Ctrl+C there would: no new steps start,"
          + " running steps are stopped (their process groups get SIGTERM, then SIGKILL after a"
          + " grace period), the `always` steps run, and the run ends as cancelled.",
      "The request is a file in the run folder that the live process watches; --wait waits until"
          + " that process has finished."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  runctl cancel tiny-mlp-20261123-120000-ab12",
      "  runctl cancel tiny-mlp-20261123-120000-ab12 --wait"
    })
final class CancelCommand implements Callable<Integer> {
  @ParentCommand RunctlCommand root;

  @Parameters(
      arity = "0..1",
      paramLabel = "RUN_ID",
      description =
          "The run or sweep: its id, a unique prefix of it, or `latest` (default: the newest run of this project; see `runctl runs`).")
  String runId;

  @Option(names = "--wait", description = "Wait until the run's process has stopped it.")
  boolean waitForEnd;

  record CancelRequested(String runId, String holder, String outcome) implements CliEvent {
    public String type() {
      return "cancel";
    }

    public String text() {
      return outcome;
    }

    /** The run stopped, {@code since} the cancel was asked: how long it took and how it ended. */
    static CancelRequested stopped(String runId, String holder, Instant since, RunState s) {
      return new CancelRequested(
          runId,
          holder,
          "run "
              + runId
              + " stopped after "
              + RunLines.elapsed(Duration.between(since, Instant.now()))
              + ": "
              + s.status().label()
              + (s.reason().isEmpty() ? "" : " (" + s.reason() + ")"));
    }
  }

  @Override
  public Integer call() throws InterruptedException {
    java.util.Optional<String> sweep = SweepCommands.find(root, runId);
    if (sweep.isPresent()) {
      return SweepCommands.cancel(root, sweep.get(), waitForEnd);
    }
    Output out = root.output();
    RunFinder.Found found = root.runFinder().find(runId);
    runId = found.runId();
    RunFolder folder = found.folder();
    var shared = RunLock.isHeldHere(folder) ? null : root.sharedRuns().forRun(folder).orElse(null);
    if (shared != null) {
      return RemoteCancel.cancel(out, root.sharedRuns(), shared, folder, waitForEnd);
    }
    if (!RunLock.isHeld(folder)) {
      RunState s = Snapshotter.read(folder);
      out.emit(
          new CancelRequested(
              runId,
              null,
              "run "
                  + runId
                  + " has no live process (it is "
                  + RunsCommand.liveStatus(folder, s)
                  + "); nothing to stop"));
      return ExitCodes.OK;
    }
    String holder = RunLock.holder(folder).map(LockHolder::describe).orElse("unknown process");
    try {
      Files.writeString(folder.cancelRequest(), "requested " + Instant.now() + "\n");
    } catch (IOException e) {
      throw new RunctlException(
          ErrorCategory.STATE,
          "cannot write the cancel request " + folder.cancelRequest() + ": " + e.getMessage(),
          "check that the state folder is writable, or press Ctrl+C where the run is live",
          e);
    }
    if (!waitForEnd) {
      out.emit(
          new CancelRequested(
              runId,
              holder,
              "asked "
                  + holder
                  + " to stop run "
                  + runId
                  + "; its running steps are stopped and its `always` steps run"));
      return ExitCodes.OK;
    }
    Instant start = Instant.now();
    while (RunLock.isHeld(folder)) {
      Thread.sleep(200);
    }
    RunState s = Snapshotter.read(folder);
    out.emit(CancelRequested.stopped(runId, holder, start, s));
    return ExitCodes.OK;
  }
}
