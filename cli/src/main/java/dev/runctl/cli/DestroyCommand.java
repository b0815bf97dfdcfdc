package dev.runctl.cli;

import dev.runctl.engine.ErrorCategory;
import dev.runctl.engine.RunctlException;
import dev.runctl.engine.exec.ExecSettings;
import dev.runctl.engine.exec.RunExecutor;
import dev.runctl.engine.spec.SpecLoader;
import dev.runctl.engine.state.ActiveRun;
import dev.runctl.engine.state.RunFolder;
import dev.runctl.engine.state.RunLockedException;
import dev.runctl.engine.state.RunStore;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code runctl destroy RUN_ID}: tear down every resource the run's state records. */
@Command(
    name = "destroy",
    mixinStandardHelpOptions = true,
    description = {
      "Tear down every resource that a run's state records (its machines, and what its target"
          + " made for it), e.g. after a crash or a run kept for debugging. Uses the run's target"
          + " as its frozen spec describes it. A resource already gone counts as destroyed."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  runctl destroy tiny-mlp-20261123-120000-ab12",
      "  runctl destroy lr-sweep-20261123-120000-cd34      # every child run of the sweep",
      "",
      "Exit codes: 0 nothing of the run is left, 1 something is still alive, 2 unknown run,"
          + " 3 the run is live (cancel it first)."
    })
final class DestroyCommand implements Callable<Integer> {
  @ParentCommand RunctlCommand root;

  @Parameters(
      paramLabel = "RUN_ID",
      description =
          "The run or sweep (every child run of it): its id, a unique prefix of it, or `latest`"
              + " (see `runctl runs`).")
  String runId;

  record Destroyed(String runId, List<String> left) implements CliEvent {
    public String type() {
      return "destroyed";
    }

    public String text() {
      return left.isEmpty()
          ? "run " + runId + ": nothing is left"
          : "run " + runId + ": still alive: " + String.join(", ", left);
    }
  }

  @Override
  public Integer call() throws InterruptedException {
    java.util.Optional<String> sweep = SweepCommands.find(root, runId);
    if (sweep.isPresent()) {
      return sweep(sweep.get());
    }
    return destroy(runId);
  }

  /**
   * Every child run of the sweep, each as {@code destroy RUN} would, one after the other: a child
   * that cannot be destroyed (live, unreadable) is said and the others still are. The exit code is
   * the first child's that is not 0.
   */
  private int sweep(String sweepId) throws InterruptedException {
    Output out = root.output();
    dev.runctl.cli.sweep.SweepRecord record =
        new dev.runctl.cli.sweep.SweepStore(root.stateDir()).read(sweepId);
    RunStore store = new RunStore(root.stateDir());
    int code = ExitCodes.OK;
    int done = 0;
    for (dev.runctl.cli.sweep.SweepRecord.Child c : record.children()) {
      if (!store.exists(c.runId())) {
        continue; // never started: nothing of it exists
      }
      int childCode;
      try {
        childCode = destroy(c.runId());
      } catch (RunctlException e) {
        childCode = ErrorHandler.report(e, out, root.debug());
      }
      done += childCode == ExitCodes.OK ? 1 : 0;
      code = code == ExitCodes.OK ? childCode : code;
    }
    out.note(
        "sweep "
            + sweepId
            + ": "
            + done
            + " of "
            + record.children().size()
            + " children have nothing left");
    return code;
  }

  private int destroy(String typed) throws InterruptedException {
    Output out = root.output();
    RunFinder.Found found = root.runFinder().find(typed);
    String runId = found.runId();
    RunSession session = RunSession.on(root, found);
    RunFolder folder = found.folder();
    RunStore store = session.store();
    ActiveRun run;
    try {
      run = root.sharedRuns().hold(store, runId, out, out::note);
    } catch (RunLockedException e) {
      throw new RunctlException(
          ErrorCategory.LOCKED,
          e.getMessage(),
          "stop it first with `runctl cancel " + runId + " --wait`; its `always` steps tear down",
          e);
    }
    try {
      RunStore.FrozenSpec frozen = store.frozenSpec(folder);
      SpecLoader.SpecTarget target;
      try {
        // only the target part: the project may have moved or changed since the run
        target =
            root.components()
                .specLoader()
                .loadTarget(frozen.originalFile(), frozen.source(), FrozenOverrides.read(folder));
      } catch (RunctlException e) {
        throw new RunctlException(
            ErrorCategory.USAGE,
            "the target of the spec frozen in run " + runId + " cannot be read: " + e.getMessage(),
            "tear the resources down by hand; `runctl status " + runId + "` shows the facts",
            e);
      }
      ExecSettings settings =
          ExecSettings.defaults(store.cacheDir(), e -> out.emit(RunEventLines.of(e)));
      List<String> left = new RunExecutor(settings).destroy(target, run);
      out.emit(new Destroyed(runId, left));
      return left.isEmpty() ? ExitCodes.OK : ErrorHandler.exitCode(ErrorCategory.ENVIRONMENT);
    } finally {
      run.close();
    }
  }
}
