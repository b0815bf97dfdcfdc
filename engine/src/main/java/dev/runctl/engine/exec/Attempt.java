package dev.runctl.engine.exec;

import dev.runctl.engine.plan.Expressions;
import dev.runctl.engine.plan.PlannedStep;
import dev.runctl.engine.spi.ConfigNode;
import dev.runctl.engine.spi.ConfigureContext;
import dev.runctl.engine.spi.Diagnostic;
import dev.runctl.engine.spi.Diagnostics;
import dev.runctl.engine.spi.ErrorClass;
import dev.runctl.engine.spi.StepConfig;
import dev.runctl.engine.spi.StepContext;
import dev.runctl.engine.spi.StepException;
import dev.runctl.engine.spi.StepResult;
import dev.runctl.engine.spi.StepType;
import dev.runctl.engine.state.JournalRecord;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * One attempt of a step: the step's settings configured again with every expression resolved, the
 * idempotency check, then the work and the fingerprint of its inputs. Failures leave as {@link
 * Failed}, classified.
 */
final class Attempt {
  private final RunScope scope;
  private final MachineStateRepair repair;

  /** A successful attempt; {@code alreadyDone} when the idempotency check answered. */
  record Result(StepResult result, boolean alreadyDone) {}

  /** A classified failure on its way through Failsafe. */
  static final class Failed extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient Failure failure;

    Failed(Failure failure, Throwable cause) {
      super(failure.message(), cause, false, false);
      this.failure = failure;
    }

    Failure failure() {
      return failure;
    }
  }

  Attempt(RunScope scope, MachineStateRepair repair) {
    this.scope = scope;
    this.repair = repair;
  }

  Result run(
      PlannedStep step,
      int number,
      StepHandle handle,
      FileStepLog log,
      Failure previous,
      BooleanSupplier timedOut) {
    if (!handle.cancelled()) {
      Thread.interrupted();
    }
    JournalRecord.AttemptStarted started =
        new JournalRecord.AttemptStarted(scope.clock.now(), step.id(), number);
    if (step.type().releasesMachine()) {
      // On disk before it acts: a resume after a crash must know the machine may be gone.
      scope.journal.appendDurably(started);
    } else {
      scope.journal.appendLazily(started);
    }
    scope.emit(
        new RunEvent.AttemptStarted(
            scope.runId(), scope.clock.now(), step.id(), number, log.file()));
    log.narrate("attempt " + number + " of step '" + step.id() + "' (" + step.spec().uses() + ")");
    try {
      if (previous != null && previous.errorClass() == ErrorClass.INTERRUPTION) {
        log.line("the machine was interrupted: setting it up again before the retry");
        repair.rerunUpstream(step);
      }
      StepContext sc = context(step, number, log);
      StepConfig config = configure(step, sc);
      Optional<StepResult> done = alreadyDone(step.type(), config, sc);
      if (done.isPresent()) {
        log.line("already done; nothing to run");
        scope.emit(new RunEvent.AlreadyDone(scope.runId(), scope.clock.now(), step.id(), number));
        return new Result(done.get(), true);
      }
      StepResult r = execute(step.type(), config, sc);
      if (r.inputFingerprint().isEmpty()) {
        Optional<String> fp = fingerprint(step.type(), config, sc);
        r = new StepResult(r.outputs(), fp);
      }
      log.narrate("attempt " + number + " succeeded");
      return new Result(r, false);
    } catch (Throwable t) {
      if (timedOut.getAsBoolean()) {
        throw new Failed(Failure.timeout(step.id(), step.spec().timeout()), t);
      }
      Failure f = Failure.of(t, step.id(), step.spec().uses(), step.spec().timeout());
      if (!handle.cancelled()) {
        log.line("attempt " + number + " failed (" + f.errorClass().yaml() + "): " + f.message());
        f.hint().ifPresent(h -> log.line("hint: " + h));
        if (internal(t)) {
          java.io.StringWriter trace = new java.io.StringWriter();
          t.printStackTrace(new java.io.PrintWriter(trace));
          log.line("stack trace, for the bug report:\n" + trace);
        }
      }
      throw new Failed(f, t);
    }
  }

  /** The fingerprint of a step's inputs now (resume compares it with the recorded one). */
  Optional<String> fingerprintNow(PlannedStep step, int attempts) throws Exception {
    try (FileStepLog log =
        new FileStepLog(scope.folder.log(step.id()), scope.masker, scope.clock)) {
      StepContext sc = context(step, Math.max(1, attempts), log);
      return fingerprint(step.type(), configure(step, sc), sc);
    }
  }

  /** Not a classified failure: a bug somewhere, whose trace belongs in the log. */
  private static boolean internal(Throwable t) {
    return !(t instanceof dev.runctl.engine.RunctlException
        || t instanceof java.io.IOException
        || t instanceof java.io.UncheckedIOException
        || t instanceof InterruptedException);
  }

  private StepContext context(PlannedStep step, int number, FileStepLog log) {
    Map<String, String> env = new LinkedHashMap<>(scope.secrets);
    scope.plan.job().env().forEach((k, v) -> env.put(k, resolve(v, step)));
    step.spec().env().forEach((k, v) -> env.put(k, resolve(v, step)));
    env.put("RUNCTL_RUN_ID", scope.runId());
    env.put("RUNCTL_STEP_ID", step.id());
    env.put("RUNCTL_ATTEMPT", Integer.toString(number));
    return new ExecStepContext(
        scope.runId(),
        scope.plan.job().name(),
        step.id(),
        number,
        step.spec().timeout(),
        scope.plan.job().workdir(),
        scope.folder.dir(),
        scope.cacheDir,
        env,
        scope.requiredPaths,
        scope.namedPaths,
        scope.failed::get,
        scope.stopped::get,
        scope.target,
        scope.facts,
        log,
        m ->
            scope.emit(
                new RunEvent.Progress(
                    scope.runId(), scope.clock.now(), step.id(), scope.masker.mask(m))),
        m -> scope.warn(Optional.of(step.id()), m),
        p -> scope.emit(new RunEvent.Metrics(scope.runId(), scope.clock.now(), step.id(), p)),
        scope.clock,
        scope.masker::values);
  }

  private StepConfig configure(PlannedStep step, StepContext sc) {
    if (step.fixedConfig()) {
      // Nothing to resolve: the config of plan time is the config now (configure only treats
      // values with expressions differently while planning).
      return step.config();
    }
    ConfigNode.Mapping with;
    AtomicReference<Expressions.Ref> missing = new AtomicReference<>();
    try {
      with =
          Expressions.resolve(
              step.spec().with(),
              ref -> {
                Optional<String> v = scope.lookup(ref);
                if (v.isEmpty()) {
                  missing.set(ref);
                }
                return v;
              });
    } catch (Expressions.UnresolvedException e) {
      throw unresolved(missing.get(), e);
    }
    Diagnostics d = new Diagnostics();
    StepConfig config =
        step.type()
            .configure(
                new ConfigureContext(
                    step.spec().ref(), scope.plan.job().workdir(), with, d, false));
    if (d.hasErrors()) {
      String all = d.all().stream().map(Diagnostic::render).collect(Collectors.joining("\n"));
      throw new StepException(
          ErrorClass.FAILURE,
          false,
          "the settings of step '" + step.id() + "' are invalid once resolved:\n" + all,
          "check the values that the expressions produced",
          null);
    }
    return config;
  }

  private String resolve(String value, PlannedStep step) {
    AtomicReference<Expressions.Ref> missing = new AtomicReference<>();
    try {
      return Expressions.resolve(
          value,
          ref -> {
            Optional<String> v = scope.lookup(ref);
            if (v.isEmpty()) {
              missing.set(ref);
            }
            return v;
          });
    } catch (Expressions.UnresolvedException e) {
      throw unresolved(missing.get(), e);
    }
  }

  private static StepException unresolved(Expressions.Ref ref, RuntimeException cause) {
    String hint;
    if (ref instanceof Expressions.Env env) {
      hint = "export " + env.name() + " in the environment that runs runctl";
    } else if (ref instanceof Expressions.StepOutput o) {
      hint = "step '" + o.stepId() + "' did not write output '" + o.key() + "'";
    } else {
      hint = null;
    }
    return new StepException(ErrorClass.FAILURE, false, cause.getMessage(), hint, cause);
  }

  @SuppressWarnings("unchecked")
  private static <C extends StepConfig> Optional<StepResult> alreadyDone(
      StepType<C> type, StepConfig config, StepContext ctx) throws Exception {
    return type.alreadyDone((C) config, ctx);
  }

  @SuppressWarnings("unchecked")
  private static <C extends StepConfig> StepResult execute(
      StepType<C> type, StepConfig config, StepContext ctx) throws Exception {
    return type.execute((C) config, ctx);
  }

  @SuppressWarnings("unchecked")
  private static <C extends StepConfig> Optional<String> fingerprint(
      StepType<C> type, StepConfig config, StepContext ctx) throws Exception {
    return type.inputFingerprint((C) config, ctx);
  }
}
