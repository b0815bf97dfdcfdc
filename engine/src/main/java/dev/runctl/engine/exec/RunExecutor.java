package dev.runctl.engine.exec;

import dev.runctl.engine.plan.Plan;
import dev.runctl.engine.plan.PlannedStep;
import dev.runctl.engine.spec.SpecLoader;
import dev.runctl.engine.spi.RunClock;
import dev.runctl.engine.spi.TargetContext;
import dev.runctl.engine.state.ActiveRun;
import dev.runctl.engine.state.JournalRecord;
import dev.runctl.engine.state.RunStatus;
import dev.runctl.engine.state.StepState;
import dev.runctl.engine.state.StepStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Executes a {@link Plan} as a DAG in a run held by this process ({@link ActiveRun}): a new run, or
 * a resumed one whose succeeded steps are kept and whose other steps get fresh attempts (attempt
 * numbers continue). Emits {@link RunEvent}s to the settings' listener and journals every
 * transition.
 */
public final class RunExecutor {
  private final ExecSettings settings;

  public RunExecutor(ExecSettings settings) {
    this.settings = settings;
  }

  /**
   * Runs the plan to its end. On resume, succeeded steps whose inputs changed stop the run with
   * {@link ChangedInputsException} before anything is journaled, unless {@code rerunChanged}: then
   * they and the steps downstream of them run again.
   */
  public RunResult run(Plan plan, ActiveRun run, RunControl control, boolean rerunChanged)
      throws InterruptedException {
    RunScope scope = scopeFor(plan, run);
    try {
      scope.target = open(plan, run, scope);
    } catch (RuntimeException e) {
      recordEarlyFailure(
          plan,
          run,
          "cannot open the " + plan.targetProvider().name() + " target: " + e.getMessage());
      throw e;
    }
    ExecutorService pool = settings.threads().orElseGet(this::newPool);
    try {
      return execute(scope, run, control, rerunChanged, pool);
    } finally {
      scope.target.close();
      if (settings.threads().isEmpty()) {
        pool.shutdownNow();
      }
    }
  }

  private dev.runctl.engine.spi.Target open(Plan plan, ActiveRun run, RunScope scope) {
    return plan.targetProvider()
        .open(
            plan.targetConfig(),
            TargetContext.builder()
                .runId(run.runId())
                .jobName(plan.job().name())
                .runDir(run.folder().dir())
                .localWorkdir(plan.job().workdir())
                .cacheDir(settings.cacheDir())
                .facts(scope.facts)
                .warnings(m -> scope.warn(Optional.empty(), m))
                .clock(settings.clock())
                .maxDuration(plan.job().budget().maxDuration())
                .secrets(scope.targetSecrets())
                .build());
  }

  /** A run that could not start still says so in its journal (a new run has nothing else). */
  private void recordEarlyFailure(Plan plan, ActiveRun run, String reason) {
    Instant now = settings.clock().now();
    if (!run.resumed()) {
      run.journal().append(runStarted(plan, run, now, 0));
    }
    run.journal()
        .appendDurably(new JournalRecord.RunEnded(now, RunStatus.FAILED, reason, Optional.empty()));
  }

  private RunResult execute(
      RunScope scope, ActiveRun run, RunControl control, boolean rerunChanged, ExecutorService pool)
      throws InterruptedException {
    Plan plan = scope.plan;
    Map<String, StepStatus> initial = new HashMap<>();
    Map<String, Integer> attempts = new ConcurrentHashMap<>();
    Set<String> planned = new java.util.HashSet<>();
    plan.steps().forEach(s -> planned.add(s.id()));
    for (StepState st : run.prior().steps().values()) {
      attempts.put(st.id(), st.attempts());
      if (st.status() == StepStatus.SUCCEEDED && planned.contains(st.id())) {
        initial.put(st.id(), StepStatus.SUCCEEDED);
        scope.outputs.put(st.id(), st.outputs());
      }
    }
    UpstreamRepair repair = new UpstreamRepair(scope, attempts);
    StepRunner runner = new StepRunner(scope, repair);
    repair.runner(runner);
    if (run.resumed()) {
      List<String> changed = ChangedInputs.find(scope, run.prior(), initial);
      if (!changed.isEmpty()) {
        if (!rerunChanged) {
          throw new ChangedInputsException(run.runId(), changed);
        }
        reset(
            scope,
            initial,
            ChangedInputs.withDownstream(plan, changed, initial),
            "inputs changed; --rerun-changed");
      }
    }
    List<String> resetNotices = new java.util.ArrayList<>();
    if (run.resumed()) {
      ResumeReset.Reset again = ResumeReset.find(plan, initial, attempts, scope.outputs);
      if (!again.steps().isEmpty()) {
        reset(scope, initial, again.steps(), again.reason());
        resetNotices.add(again.reason() + " (" + String.join(", ", again.steps()) + ")");
      }
    }
    try {
      Files.deleteIfExists(run.folder().cancelRequest());
    } catch (IOException e) {
      scope.warn(Optional.empty(), "cannot remove an old cancel request: " + e.getMessage());
    }
    // The schedule is built before the run starts: with thousands of steps it is milliseconds of
    // work during which no step could run.
    Coordinator c =
        new Coordinator(
            scope,
            settings,
            pool,
            new Schedule(plan, initial),
            runner,
            control,
            attempts,
            run.resumed() ? run.prior().liveTime() : java.time.Duration.ZERO,
            run.snapshotter());
    Instant start = settings.clock().now();
    List<String> ids = plan.steps().stream().map(PlannedStep::id).toList();
    // Not awaited: the journal is written in order, so any record of a step that reaches the disk
    // brings this one with it, and steps can start while the first fsync of a new run folder
    // (which also writes its new parent folders) is under way. A crash before it lands leaves an
    // empty journal, which resume treats as a run that never started.
    run.journal()
        .append(runStarted(plan, run, start, run.resumed() ? run.prior().resumes() + 1 : 0));
    scope.emit(
        new RunEvent.Started(
            run.runId(),
            start,
            plan.job().name(),
            run.folder().dir(),
            ids,
            ids.stream().filter(initial::containsKey).toList(),
            run.resumed() ? run.prior().resumes() + 1 : 0,
            settings.parallelism()));
    run.notices().forEach(n -> scope.warn(Optional.empty(), n));
    resetNotices.forEach(n -> scope.warn(Optional.empty(), n));
    c.run();
    return finish(scope, run, c, start);
  }

  private RunResult finish(RunScope scope, ActiveRun run, Coordinator c, Instant start) {
    RunStatus status;
    String reason;
    if (c.stopped() && !c.budgetBreached()) {
      status = RunStatus.CANCELLED;
      reason = c.stopReason().orElse("cancelled");
    } else if (c.budgetBreached()) {
      status = RunStatus.FAILED;
      reason = c.stopReason().orElse("budget exceeded");
    } else if (c.failedStep().isPresent()) {
      status = RunStatus.FAILED;
      reason = "step '" + c.failedStep().get() + "' failed";
    } else {
      status = RunStatus.SUCCEEDED;
      reason = "";
    }
    Instant now = settings.clock().now();
    Optional<String> cost = scope.target.costUntil(now).map(b -> b.toPlainString());
    run.journal().appendDurably(new JournalRecord.RunEnded(now, status, reason, cost));
    scope.emit(
        new RunEvent.Ended(
            run.runId(), now, status, reason, java.time.Duration.between(start, now)));
    return new RunResult(run.runId(), status, reason);
  }

  /**
   * Tears down what the run's facts record ({@code runctl destroy}, e.g. after a crash): opens the
   * run's target from the {@code target:} of its frozen spec alone (the project may have moved or
   * changed since), calls its destroy, and answers what is still alive afterwards.
   */
  public List<String> destroy(SpecLoader.SpecTarget spec, ActiveRun run)
      throws InterruptedException {
    RunClock clock = settings.clock();
    JournalFacts facts = new JournalFacts(run.journal(), clock, run.prior().facts());
    java.util.function.Consumer<String> warn =
        m -> RunScope.warn(run.journal(), settings.listener(), clock, run.runId(), m);
    var target =
        spec.provider()
            .open(
                spec.config(),
                TargetContext.builder()
                    .runId(run.runId())
                    .jobName(run.prior().job())
                    .runDir(run.folder().dir())
                    .localWorkdir(spec.workdir())
                    .cacheDir(settings.cacheDir())
                    .facts(facts)
                    .warnings(warn)
                    .clock(clock)
                    .build());
    try (FileStepLog log =
        new FileStepLog(run.folder().log("destroy"), new SecretMasker(), clock)) {
      log.line("runctl destroy: tearing down what run " + run.runId() + " recorded");
      target.destroy(log);
      List<String> left = target.liveResources();
      if (left.isEmpty()) {
        // nothing alive is the expected end, not a warning: the destroy log says it
        log.line("runctl destroy: nothing of run " + run.runId() + " is left");
      } else {
        warn.accept("`runctl destroy` left resources alive: " + String.join(", ", left));
      }
      return left;
    } finally {
      target.close();
    }
  }

  /** Makes succeeded {@code steps} pending again, and journals why. */
  private void reset(
      RunScope scope, Map<String, StepStatus> initial, List<String> steps, String reason) {
    steps.forEach(
        id -> {
          initial.remove(id);
          scope.outputs.remove(id);
        });
    scope.journal.append(new JournalRecord.StepsReset(settings.clock().now(), steps, reason));
  }

  private static JournalRecord.RunStarted runStarted(
      Plan plan, ActiveRun run, Instant at, int resumes) {
    return new JournalRecord.RunStarted(
        at,
        run.runId(),
        plan.job().name(),
        plan.job().file().toString(),
        run.holder().pid(),
        run.holder().host(),
        resumes,
        plan.steps().stream().map(PlannedStep::id).toList());
  }

  /** The run's scope, its facts continuing from those the journal holds. */
  private RunScope scopeFor(Plan plan, ActiveRun run) {
    RunScope scope =
        new RunScope(
            plan,
            run.folder(),
            run.journal(),
            settings.clock(),
            settings.listener(),
            settings.processEnv(),
            settings.cacheDir());
    scope.readSecrets(settings.secrets());
    scope.facts = new JournalFacts(run.journal(), settings.clock(), run.prior().facts());
    return scope;
  }

  private ExecutorService newPool() {
    AtomicInteger n = new AtomicInteger();
    return Executors.newFixedThreadPool(
        settings.parallelism(),
        r -> {
          Thread t = new Thread(r, "runctl-step-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
  }
}
