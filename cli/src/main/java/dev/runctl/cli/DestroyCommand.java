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
      "",
      "Exit codes: 0 nothing of the run is left, 1 something is still alive, 2 unknown run,"
          + " 3 the run is live (cancel it first)."
    })
final class DestroyCommand implements Callable<Integer> {
  @ParentCommand RunctlCommand root;

  @Parameters(
      paramLabel = "RUN_ID",
      description = "The run: its id, a unique prefix of it, or `latest` (see `runctl runs`).")
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
    Output out = root.output();
    RunFinder.Found found = root.runFinder().find(runId);
    runId = found.runId();
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
