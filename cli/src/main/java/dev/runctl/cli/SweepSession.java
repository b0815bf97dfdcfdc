package dev.runctl.cli;

import dev.runctl.cli.report.SweepReport;
import dev.runctl.cli.secrets.SecretValues;
import dev.runctl.cli.sweep.SweepRecord;
import dev.runctl.cli.sweep.SweepStore;
import dev.runctl.engine.ErrorCategory;
import dev.runctl.engine.RunctlException;
import dev.runctl.engine.exec.SecretReader;
import dev.runctl.engine.plan.Plan;
import dev.runctl.engine.spec.JobSpec;
import dev.runctl.engine.spec.MatrixSpec;
import dev.runctl.engine.spec.SpecOverride;
import dev.runctl.engine.state.RunFolder;
import dev.runctl.engine.state.RunStore;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A sweep: one child run per combination, each executed by the same executor as any run (its own
 * run folder, journal, workspace and machine), at most {@code max_parallel} at once. The sweep's
 * record is written before the first child starts; {@link #resume} runs again the children that did
 * not succeed and leaves the others alone.
 */
final class SweepSession {
  private final RunctlCommand root;
  private final Output out;
  private final RunStore store;
  private final SweepStore sweeps;
  private final SweepStop stop = new SweepStop();
  private final java.util.concurrent.atomic.AtomicReference<ErrorCategory> problem =
      new java.util.concurrent.atomic.AtomicReference<>();

  SweepSession(RunctlCommand root) {
    this.root = root;
    this.out = root.output();
    this.store = new RunStore(root.stateDir());
    this.sweeps = new SweepStore(root.stateDir());
  }

  SweepStore sweeps() {
    return sweeps;
  }

  /** {@code apply} of a spec with a matrix: the sweep's record, then its children. */
  int start(Plan plan, Optional<String> id, List<SpecOverride> overrides, int parallelism)
      throws InterruptedException {
    if (id.isPresent() && sweeps.exists(id.get())) {
      out.note("sweep " + id.get() + " exists: resuming it with the spec frozen at its apply");
      return resume(id.get(), parallelism, false);
    }
    JobSpec job = plan.job();
    MatrixSpec matrix = job.matrix().orElseThrow();
    String sweepId = id.orElseGet(() -> store.newRunId(job.name(), Instant.now()));
    List<Map<String, String>> combinations = matrix.combinations();
    List<SweepRecord.Child> children = new ArrayList<>();
    for (int i = 0; i < combinations.size(); i++) {
      children.add(
          new SweepRecord.Child(i + 1, SweepRecord.childId(sweepId, i + 1), combinations.get(i)));
    }
    SweepRecord record =
        new SweepRecord(
            sweepId,
            job.name(),
            job.file().toAbsolutePath().normalize().toString(),
            Instant.now().toString(),
            matrix.maxParallel(),
            matrix.failFast(),
            children);
    for (SweepRecord.Child c : children) {
      SweepChildren.plan(
          root, record, job.source(), overrides, c); // every combination plans before any starts
    }
    sweeps.create(record, job.file(), job.source());
    FrozenOverrides.write(new RunFolder(sweepId, sweeps.dir(sweepId)), overrides);
    return run(record, plan, overrides, parallelism, false);
  }

  /**
   * {@code resume SWEEP}: the children that did not succeed, each from its own journal; {@code
   * rerunChanged}: as resume's --rerun-changed, for each child resumed.
   */
  int resume(String sweepId, int parallelism, boolean rerunChanged) throws InterruptedException {
    SweepRecord record = sweeps.read(sweepId);
    List<SpecOverride> overrides =
        FrozenOverrides.read(new RunFolder(sweepId, sweeps.dir(sweepId)));
    Plan plan =
        SweepChildren.plan(
            root, record, sweeps.source(sweepId), overrides, record.children().get(0));
    // before anything is written: every child would need the same variables
    ResumeEnvironment.require("sweep", sweepId, plan, System.getenv());
    try {
      Files.deleteIfExists(sweeps.cancelRequest(sweepId));
    } catch (java.io.IOException e) {
      throw new RunctlException(
          ErrorCategory.STATE,
          "cannot remove the cancel request of sweep " + sweepId + ": " + e.getMessage(),
          "check that the state folder is writable");
    }
    return run(record, plan, overrides, parallelism, rerunChanged);
  }

  private int run(
      SweepRecord record,
      Plan plan,
      List<SpecOverride> overrides,
      int parallelism,
      boolean rerunChanged)
      throws InterruptedException {
    SweepLimits limits = SweepLimits.of(plan.targetProvider(), record.maxParallel(), parallelism);
    int atOnce = limits.atOnce();
    int stepsEach = limits.stepsEach();
    emit(
        new SweepLines.Started(
            record.sweepId(),
            record.job(),
            sweeps.dir(record.sweepId()).toString(),
            record.maxParallel(),
            atOnce,
            record.failFast(),
            record.children()));
    SecretReader secrets = SecretValues.readAll(root.components().registry(), plan);
    String source = sweeps.source(record.sweepId());
    ExecutorService pool =
        Executors.newFixedThreadPool(
            atOnce,
            r -> {
              Thread t = new Thread(r, "runctl-sweep-child");
              t.setDaemon(true);
              return t;
            });
    try (InterruptSignals signals = new InterruptSignals(stop::stopAll, out::note)) {
      SweepChild child =
          new SweepChild(root, store, sweeps, stop, problem, rerunChanged, this::emit);
      List<Future<?>> running = new ArrayList<>();
      for (SweepRecord.Child c : record.children()) {
        running.add(
            pool.submit(
                () -> {
                  child.run(record, c, source, overrides, stepsEach, secrets);
                  return null;
                }));
      }
      for (Future<?> f : running) {
        try {
          f.get();
        } catch (ExecutionException e) {
          Throwable why = e.getCause();
          emit(
              new SweepLines.Note(
                  record.sweepId(), "a child could not run: " + RunctlException.reasonOf(why)));
        }
      }
    } finally {
      pool.shutdownNow();
    }
    return end(record);
  }

  private int end(SweepRecord record) {
    List<SweepLines.ChildRow> rows = SweepRows.of(store, record);
    if (!out.json()) {
      out.out().println(SweepLines.header());
    }
    rows.forEach(this::emit);
    String status = SweepRows.status(rows);
    String report = null;
    try {
      report =
          SweepReport.write(sweeps.dir(record.sweepId()), SweepRows.report(store, record, rows))
              .toString();
    } catch (java.io.IOException | RuntimeException e) {
      out.note("warning: the sweep's report could not be written: " + e.getMessage());
    }
    boolean stopped =
        stop.reason().filter(why -> !why.startsWith("fail_fast")).isPresent()
            || Files.exists(sweeps.cancelRequest(record.sweepId()));
    int code =
        switch (status) {
          case "succeeded" -> ExitCodes.OK;
          case "failed" -> ExitCodes.FAILED;
          default -> stopped ? ExitCodes.INTERRUPTED : ExitCodes.FAILED;
        };
    if (problem.get() != null && code != ExitCodes.INTERRUPTED) {
      code = ErrorHandler.exitCode(problem.get());
    }
    emit(new SweepLines.Ended(record.sweepId(), status, SweepRows.counts(rows), report, code));
    if (code != ExitCodes.OK) {
      out.note(
          "see `runctl status "
              + record.sweepId()
              + "`; `runctl resume "
              + record.sweepId()
              + "` runs the children that did not succeed again");
    }
    return code;
  }

  private void emit(CliEvent e) {
    synchronized (out) {
      out.emit(e);
    }
  }
}
