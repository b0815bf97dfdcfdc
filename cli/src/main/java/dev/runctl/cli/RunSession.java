package dev.runctl.cli;

import dev.runctl.cli.secrets.SecretValues;
import dev.runctl.engine.ErrorCategory;
import dev.runctl.engine.RunctlException;
import dev.runctl.engine.exec.ExecSettings;
import dev.runctl.engine.exec.RunControl;
import dev.runctl.engine.exec.RunExecutor;
import dev.runctl.engine.exec.RunListener;
import dev.runctl.engine.exec.RunResult;
import dev.runctl.engine.exec.SecretReader;
import dev.runctl.engine.plan.LoadResult;
import dev.runctl.engine.plan.Plan;
import dev.runctl.engine.state.ActiveRun;
import dev.runctl.engine.state.RunStatus;
import dev.runctl.engine.state.RunStore;
import dev.runctl.engine.state.SpecDrift;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/** What apply and resume share: holding the run, executing it, rendering it, exit codes. */
final class RunSession {
  private final RunctlCommand root;
  private final Output out;
  private final RunStore store;

  RunSession(RunctlCommand root) {
    this.root = root;
    this.out = root.output();
    this.store = new RunStore(root.stateDir());
  }

  RunStore store() {
    return store;
  }

  /** A new run of {@code file}, or the resume of {@code runId} when that run exists. */
  int apply(Path file, Optional<String> runId, int parallelism) throws InterruptedException {
    if (runId.isPresent() && store.exists(runId.get())) {
      out.note("run " + runId.get() + " exists: resuming it with the spec frozen at its apply");
      return resume(runId.get(), false, parallelism);
    }
    LoadResult loaded = root.components().planner().plan(root.components().specLoader().load(file));
    out.diagnostics(loaded.diagnostics());
    if (!(loaded instanceof LoadResult.Loaded ok)) {
      throw new RunctlException(
          ErrorCategory.USAGE,
          "the spec " + file + " is invalid; nothing was run",
          "fix the problems above; `runctl plan " + file + "` checks it without running");
    }
    Plan plan = ok.plan();
    SecretReader secrets = SecretValues.readAll(root.components().registry(), plan.job().secrets());
    String id = runId.orElseGet(() -> store.newRunId(plan.job().name(), Instant.now()));
    ActiveRun run;
    try {
      run = store.create(id, plan.job().file(), plan.job().source(), Instant.now());
    } catch (RunctlException e) {
      if (e.category() == ErrorCategory.LOCKED || runId.isEmpty() || !store.exists(id)) {
        throw e;
      }
      // another apply --run-id made it since the check above, and has finished with it
      out.note("run " + id + " exists: resuming it with the spec frozen at its apply");
      return resume(id, false, parallelism);
    }
    return execute(plan, run, false, parallelism, secrets);
  }

  int resume(String runId, boolean rerunChanged, int parallelism) throws InterruptedException {
    var folder = known(runId);
    ActiveRun run = store.open(runId, Instant.now());
    Plan plan;
    SecretReader secrets;
    try {
      RunStore.FrozenSpec frozen = store.frozenSpec(folder);
      LoadResult loaded =
          root.components()
              .planner()
              .plan(root.components().specLoader().load(frozen.originalFile(), frozen.source()));
      out.diagnostics(loaded.diagnostics());
      if (!(loaded instanceof LoadResult.Loaded ok)) {
        throw FrozenSpecProblem.explain(runId, frozen.originalFile(), loaded.diagnostics());
      }
      plan = ok.plan();
      secrets = SecretValues.readAll(root.components().registry(), plan.job().secrets());
    } catch (RuntimeException e) {
      run.close();
      throw e;
    }
    return execute(plan, run, rerunChanged, parallelism, secrets);
  }

  dev.runctl.engine.state.RunFolder known(String runId) {
    return store.existing(runId);
  }

  private int execute(
      Plan plan, ActiveRun run, boolean rerunChanged, int parallelism, SecretReader secrets)
      throws InterruptedException {
    out.emit(new RunLines.RunId(run.runId(), run.folder().dir().toString()));
    if (run.resumed()) {
      SpecDrift.of(run.folder())
          .ifPresent(
              w -> out.emit(new RunLines.Warning(run.runId(), Instant.now().toString(), null, w)));
    }
    RunControl control = new RunControl();
    LiveProgress live =
        !out.json() && System.console() != null ? new LiveProgress(out.out()) : null;
    RunListener listener = live != null ? live : e -> out.emit(RunLines.of(e));
    ExecSettings settings =
        ExecSettings.defaults(store.cacheDir(), listener)
            .withParallelism(parallelism)
            .withSecrets(secrets);
    try (InterruptSignals signals = new InterruptSignals(control, out::note)) {
      RunResult result = new RunExecutor(settings).run(plan, run, control, rerunChanged);
      if (result.status() != RunStatus.SUCCEEDED && !out.json()) {
        out.note(
            "see `runctl status "
                + run.runId()
                + "` and `runctl logs "
                + run.runId()
                + "`; continue with `runctl resume "
                + run.runId()
                + "`");
      }
      return ErrorHandler.exitCode(result.status());
    } finally {
      if (live != null) {
        live.close();
      }
      run.close();
    }
  }
}
