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
    this(root, new RunStore(root.stateDir()));
  }

  /** A session on the runs of {@code store} (a run found in another project's state folder). */
  RunSession(RunctlCommand root, RunStore store) {
    this.root = root;
    this.out = root.output();
    this.store = store;
  }

  /** The session of the run {@code typed} names (id, unique prefix, {@code latest} or null). */
  static RunSession on(RunctlCommand root, RunFinder.Found run) {
    return new RunSession(root, run.store());
  }

  private boolean quiet;
  private final RunControl control = new RunControl();

  /** --quiet: step transitions only, not the steps' output. */
  RunSession quiet(boolean quiet) {
    this.quiet = quiet;
    return this;
  }

  RunStore store() {
    return store;
  }

  /** A new run of {@code file}, or the resume of {@code runId} when that run exists. */
  int apply(
      Path file,
      Optional<String> runId,
      int parallelism,
      java.util.List<dev.runctl.engine.spec.SpecOverride> overrides)
      throws InterruptedException {
    if (runId.isPresent() && store.exists(runId.get())) {
      out.note("run " + runId.get() + " exists: resuming it with the spec frozen at its apply");
      return resume(runId.get(), false, parallelism);
    }
    LoadResult loaded =
        root.components().planner().plan(root.components().specLoader().load(file, overrides));
    out.diagnostics(loaded.diagnostics());
    if (!(loaded instanceof LoadResult.Loaded ok)) {
      throw new RunctlException(
          ErrorCategory.USAGE,
          "the spec " + file + " is invalid; nothing was run",
          "fix the problems above; `runctl plan " + file + "` checks it without running");
    }
    Plan plan = ok.plan();
    if (plan.job().isSweep()) {
      return new SweepSession(root).start(plan, runId, overrides, parallelism);
    }
    SecretReader secrets = SecretValues.readAll(root.components().registry(), plan);
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
    try {
      FrozenOverrides.write(run.folder(), overrides);
      root.sharedRuns().ship(run, plan.job().state(), out, why -> LostLease.letGo(out, id, why));
    } catch (RuntimeException e) {
      run.close();
      throw e;
    }
    root.runIndex().record(run.folder()).ifPresent(out::note);
    return execute(plan, run, false, parallelism, secrets);
  }

  int resume(String runId, boolean rerunChanged, int parallelism) throws InterruptedException {
    var folder = known(runId);
    ActiveRun run =
        root.sharedRuns().hold(store, runId, out, why -> LostLease.letGo(out, runId, why));
    Plan plan;
    SecretReader secrets;
    try {
      RunStore.FrozenSpec frozen = store.frozenSpec(folder);
      java.nio.file.Path specFolder = frozen.originalFile().toAbsolutePath().getParent();
      if (specFolder != null && !java.nio.file.Files.isDirectory(specFolder)) {
        // the paths in the spec resolve against its folder: nothing can be planned without it
        throw FrozenSpecProblem.explain(runId, frozen.originalFile(), java.util.List.of());
      }
      LoadResult loaded =
          root.components()
              .planner()
              .plan(
                  SweepChildren.forRun(
                      folder,
                      root.components()
                          .specLoader()
                          .load(
                              frozen.originalFile(),
                              frozen.source(),
                              FrozenOverrides.read(folder))));
      out.diagnostics(loaded.diagnostics());
      if (!(loaded instanceof LoadResult.Loaded ok)) {
        throw FrozenSpecProblem.explain(runId, frozen.originalFile(), loaded.diagnostics());
      }
      plan = ok.plan();
      ResumeEnvironment.require("run", runId, plan, System.getenv());
      secrets = SecretValues.readAll(root.components().registry(), plan);
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
    LiveProgress live =
        !out.json() && System.console() != null ? new LiveProgress(out.out(), out.colour()) : null;
    RunListener transitions = live != null ? live : e -> out.emit(RunEventLines.of(e));
    // not a terminal: the steps' output too, as lines prefixed with the step id
    LogEcho echo = live == null && !out.json() && !quiet ? new LogEcho(transitions, out) : null;
    RunListener listener = echo != null ? echo : transitions;
    ExecSettings settings =
        ExecSettings.defaults(store.cacheDir(), listener)
            .withParallelism(parallelism)
            .withSecrets(secrets);
    RunResult result;
    RunSummary summary = null;
    try (InterruptSignals signals = new InterruptSignals(control, out::note)) {
      result = new RunExecutor(settings).run(plan, run, control, rerunChanged);
      // the state as this process holds it, every record on disk folded in: reading it back
      // from the folder would replay the whole journal (no snapshot since the run's last record)
      dev.runctl.engine.state.RunState end = run.snapshotter().state();
      ReportCommand.writeQuietly(out, run.folder(), end, end.status().label());
      if (!out.json()) {
        summary = RunSummary.of(run.folder(), end, Instant.now());
      }
    } finally {
      if (live != null) {
        live.close();
      }
      if (echo != null) {
        echo.close();
      }
      run.close();
    }
    if (summary != null) {
      out.emit(summary);
      if (result.status() != RunStatus.SUCCEEDED) {
        out.note("see `runctl status " + run.runId() + "` and `runctl logs " + run.runId() + "`");
      }
    }
    return ErrorHandler.exitCode(result.status());
  }
}
