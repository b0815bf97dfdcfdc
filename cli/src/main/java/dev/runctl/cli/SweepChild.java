package dev.runctl.cli;

import dev.runctl.cli.sweep.SweepMark;
import dev.runctl.cli.sweep.SweepRecord;
import dev.runctl.cli.sweep.SweepStore;
import dev.runctl.engine.ErrorCategory;
import dev.runctl.engine.RunctlException;
import dev.runctl.engine.exec.ExecSettings;
import dev.runctl.engine.exec.RunControl;
import dev.runctl.engine.exec.RunExecutor;
import dev.runctl.engine.exec.RunListener;
import dev.runctl.engine.exec.RunResult;
import dev.runctl.engine.exec.SecretReader;
import dev.runctl.engine.plan.Plan;
import dev.runctl.engine.spec.SpecOverride;
import dev.runctl.engine.state.ActiveRun;
import dev.runctl.engine.state.RunFolder;
import dev.runctl.engine.state.RunStatus;
import dev.runctl.engine.state.RunStore;
import dev.runctl.engine.state.Snapshotter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * One child of a sweep, run by the same executor as any run: its run folder held again or created
 * (with its combination marked and the overrides frozen), planned, executed, and its report
 * written. A child that cannot run is noted and the first such error's category kept for the
 * sweep's exit code; a failed child under fail_fast stops the sweep.
 */
final class SweepChild {
  private final RunctlCommand root;
  private final Output out;
  private final RunStore store;
  private final SweepStore sweeps;
  private final SweepStop stop;
  private final AtomicReference<ErrorCategory> problem;
  private final boolean rerunChanged;
  private final Consumer<CliEvent> emit;

  SweepChild(
      RunctlCommand root,
      RunStore store,
      SweepStore sweeps,
      SweepStop stop,
      AtomicReference<ErrorCategory> problem,
      boolean rerunChanged,
      Consumer<CliEvent> emit) {
    this.root = root;
    this.out = root.output();
    this.store = store;
    this.sweeps = sweeps;
    this.stop = stop;
    this.problem = problem;
    this.rerunChanged = rerunChanged;
    this.emit = emit;
  }

  /** Child {@code c}: left alone when it succeeded before, else resumed or started. */
  void run(
      SweepRecord record,
      SweepRecord.Child c,
      String source,
      List<SpecOverride> overrides,
      int parallelism,
      SecretReader secrets)
      throws InterruptedException {
    String label = SweepChildren.label(c.index(), c.combination());
    if (stop.reason().isPresent() || Files.exists(sweeps.cancelRequest(record.sweepId()))) {
      return;
    }
    RunFolder folder = store.folder(c.runId());
    boolean exists = store.exists(c.runId());
    if (exists && Snapshotter.read(folder).status() == RunStatus.SUCCEEDED) {
      emit.accept(
          new SweepLines.Note(record.sweepId(), "[" + label + "] succeeded before; not run again"));
      return;
    }
    ActiveRun run;
    Plan plan;
    RunControl control = new RunControl();
    try {
      if (exists) {
        run = root.sharedRuns().hold(store, c.runId(), out, lost(record, label, c.runId()));
      } else {
        new SweepMark(record.sweepId(), c.index(), record.children().size(), c.combination())
            .write(folder.dir());
        run = store.create(c.runId(), Path.of(record.specFile()), source, Instant.now());
        FrozenOverrides.write(run.folder(), overrides);
        root.runIndex().record(run.folder());
      }
    } catch (RunctlException e) {
      notRun(record, label, e);
      return;
    }
    stop.running(control);
    RunResult result;
    try {
      String frozen = exists ? store.frozenSpec(folder).source() : source;
      plan =
          SweepChildren.plan(
              root, record, frozen, exists ? FrozenOverrides.read(folder) : overrides, c);
      if (!exists) {
        root.sharedRuns().ship(run, plan.job().state(), out, lost(record, label, c.runId()));
      }
      stop.reason().ifPresent(control::cancel);
      RunListener listener =
          e ->
              emit.accept(
                  out.json()
                      ? RunEventLines.of(e)
                      : new SweepLines.ChildLine(label, RunEventLines.of(e)));
      emit.accept(childLine(label, new RunLines.RunId(run.runId(), run.folder().dir().toString())));
      ExecSettings settings =
          ExecSettings.defaults(store.cacheDir(), listener)
              .withParallelism(parallelism)
              .withSecrets(secrets);
      result = new RunExecutor(settings).run(plan, run, control, rerunChanged);
      writeReport(run.folder());
    } catch (RunctlException e) {
      notRun(record, label, e);
      return;
    } finally {
      stop.ended(control);
      run.close();
    }
    if (result.status() == RunStatus.FAILED && record.failFast()) {
      stop.stopAll("fail_fast: child " + label + " failed");
    }
  }

  /**
   * Another runctl took child {@code runId} over: the whole sweep process lets go at once, as a
   * kill -9 would (no child is stopped or torn down; each is resumable, by the new holder or
   * `resume`).
   */
  private java.util.function.Consumer<String> lost(SweepRecord record, String label, String runId) {
    return why ->
        LostLease.letGo(
            out,
            runId,
            "sweep " + record.sweepId() + ", child [" + label + "]: " + why + "; the sweep stops");
  }

  private void notRun(SweepRecord record, String label, RunctlException e) {
    problem.compareAndSet(null, e.category());
    emit.accept(
        new SweepLines.Note(
            record.sweepId(),
            "["
                + label
                + "] not run: "
                + e.getMessage()
                + e.hint().map(h -> "\n  hint: " + h).orElse("")));
  }

  private CliEvent childLine(String label, CliEvent line) {
    return out.json() ? line : new SweepLines.ChildLine(label, line);
  }

  private static void writeReport(RunFolder folder) {
    try {
      var s = Snapshotter.read(folder);
      dev.runctl.cli.report.RunReport.write(folder, s, s.status().label());
    } catch (java.io.IOException | RuntimeException e) {
      // the sweep's report says what it could read; `runctl report RUN` writes it again
    }
  }
}
