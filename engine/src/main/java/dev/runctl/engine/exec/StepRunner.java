package dev.runctl.engine.exec;

import dev.failsafe.Call;
import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeExecutor;
import dev.failsafe.Policy;
import dev.failsafe.RetryPolicy;
import dev.failsafe.RetryPolicyBuilder;
import dev.failsafe.Timeout;
import dev.failsafe.function.ContextualSupplier;
import dev.runctl.engine.plan.PlannedStep;
import dev.runctl.engine.spec.RetrySpec;
import dev.runctl.engine.spi.ErrorClass;
import dev.runctl.engine.state.AttemptOutcome;
import dev.runctl.engine.state.JournalRecord;
import dev.runctl.engine.state.StepStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs one step to its end: attempts under a Failsafe retry policy (backoff with jitter, only
 * retryable failures of the classes in {@code retry.on}) and a per-attempt timeout that interrupts.
 * Every attempt is journaled from the policies' listeners. A step with neither (one attempt, no
 * timeout: the default of a {@code run} step) runs its attempt directly, journaled the same way:
 * building and running the policies would be most of what such a step costs runctl.
 */
final class StepRunner {
  private static final double JITTER = 0.25;
  private final RunScope scope;
  private final Attempt attempt;

  /** The outcome of a step in this process. */
  record Outcome(
      StepStatus status,
      int attempts,
      String message,
      Optional<String> fingerprint,
      Map<String, String> outputs,
      Optional<ErrorClass> errorClass) {}

  StepRunner(RunScope scope, MachineStateRepair repair) {
    this.scope = scope;
    this.attempt = new Attempt(scope, repair);
  }

  Outcome run(PlannedStep step, int priorAttempts, StepHandle handle) {
    Tracker t = new Tracker(step, priorAttempts, handle);
    FileStepLog log = new FileStepLog(scope.folder.log(step.id()), scope.masker, scope.clock);
    try {
      Attempt.Result r =
          step.spec().retry().maxAttempts() <= 1 && step.spec().timeout().isEmpty()
              ? once(step, t, log)
              : underPolicies(step, t, log);
      log.discardQuietNarration();
      return new Outcome(
          StepStatus.SUCCEEDED,
          t.count.get(),
          r.alreadyDone() ? "already done" : "",
          r.result().inputFingerprint(),
          r.result().outputs(),
          Optional.empty());
    } catch (RuntimeException e) {
      if (handle.cancelled()) {
        return new Outcome(
            StepStatus.CANCELLED,
            t.count.get(),
            "stopped: " + handle.reason(),
            Optional.empty(),
            Map.of(),
            Optional.empty());
      }
      Failure f = t.failureOf(e);
      return new Outcome(
          StepStatus.FAILED,
          t.count.get(),
          scope.masker.mask(f.message()),
          Optional.empty(),
          Map.of(),
          Optional.of(f.errorClass()));
    } finally {
      handle.ended();
      log.close();
      Thread.interrupted();
    }
  }

  /** The one attempt of a step without retries or timeout; a cancel interrupts this thread. */
  private Attempt.Result once(PlannedStep step, Tracker t, FileStepLog log) {
    t.handle.started();
    try {
      Attempt.Result r = attempt.run(step, t.next(), t.handle, log, null, () -> false);
      succeeded(t, r);
      return r;
    } catch (RuntimeException e) {
      failed(t, e);
      throw e;
    }
  }

  private Attempt.Result underPolicies(PlannedStep step, Tracker t, FileStepLog log) {
    FailsafeExecutor<Attempt.Result> failsafe =
        Failsafe.with(policies(step, t))
            .onComplete(
                e -> {
                  if (e.getException() == null) {
                    succeeded(t, e.getResult());
                  } else {
                    failed(t, e.getException());
                  }
                });
    ContextualSupplier<Attempt.Result, Attempt.Result> work =
        ctx ->
            attempt.run(
                step,
                t.next(),
                t.handle,
                log,
                t.lastFailure.get(),
                () -> ctx.isCancelled() && !t.handle.cancelled());
    Call<Attempt.Result> call = failsafe.newCall(work);
    t.handle.started(call);
    return call.execute();
  }

  private List<Policy<Attempt.Result>> policies(PlannedStep step, Tracker t) {
    RetrySpec spec = step.spec().retry();
    RetryPolicyBuilder<Attempt.Result> retry =
        RetryPolicy.<Attempt.Result>builder()
            .handleIf(
                (r, e) -> e != null && !t.handle.cancelled() && retryable(t.failureOf(e), spec))
            .withMaxAttempts(Math.max(1, spec.maxAttempts()))
            .onFailedAttempt(e -> failed(t, e.getLastException()))
            .onRetryScheduled(
                e -> {
                  String msg =
                      "retrying in "
                          + Failure.human(e.getDelay())
                          + " (attempt "
                          + (t.count.get() + 1)
                          + " of at most "
                          + (t.prior + spec.maxAttempts())
                          + ")";
                  scope.emit(
                      new RunEvent.Progress(scope.runId(), scope.clock.now(), step.id(), msg));
                });
    Duration initial = spec.initialInterval();
    if (spec.maxAttempts() > 1 && initial.toMillis() > 0) {
      if (spec.backoffCoefficient() > 1 && initial.compareTo(spec.maxInterval()) < 0) {
        retry.withBackoff(initial, spec.maxInterval(), spec.backoffCoefficient());
      } else {
        retry.withDelay(initial);
      }
      retry.withJitter(JITTER);
    }
    List<Policy<Attempt.Result>> policies = new ArrayList<>();
    policies.add(retry.build());
    step.spec()
        .timeout()
        .ifPresent(d -> policies.add(Timeout.<Attempt.Result>builder(d).withInterrupt().build()));
    return policies;
  }

  private static boolean retryable(Failure f, RetrySpec spec) {
    return f.retryable() && spec.on().contains(f.errorClass());
  }

  private void succeeded(Tracker t, Attempt.Result r) {
    Instant now = scope.clock.now();
    int n = t.count.get();
    r.result()
        .outputs()
        .forEach(
            (k, v) ->
                scope.journal.appendLazily(
                    new JournalRecord.OutputRecorded(
                        now, t.step.id(), n, k, scope.masker.mask(v))));
    AttemptOutcome o = r.alreadyDone() ? AttemptOutcome.ALREADY_DONE : AttemptOutcome.SUCCEEDED;
    scope.journal.appendLazily(
        new JournalRecord.AttemptEnded(
            now, t.step.id(), n, o, Optional.empty(), r.alreadyDone() ? "already done" : ""));
    t.journaled.set(n);
  }

  /** Journals the end of the current attempt once, whichever listener sees it first. */
  private void failed(Tracker t, Throwable e) {
    int n = t.count.get();
    if (n <= t.journaled.get()) {
      return;
    }
    t.journaled.set(n);
    Instant now = scope.clock.now();
    if (t.handle.cancelled()) {
      scope.journal.appendLazily(
          new JournalRecord.AttemptEnded(
              now,
              t.step.id(),
              n,
              AttemptOutcome.CANCELLED,
              Optional.empty(),
              "stopped: " + t.handle.reason()));
      return;
    }
    Failure f = t.failureOf(e);
    t.lastFailure.set(f);
    String message = scope.masker.mask(f.message());
    scope.journal.appendLazily(
        new JournalRecord.AttemptEnded(
            now,
            t.step.id(),
            n,
            AttemptOutcome.FAILED,
            Optional.of(f.errorClass().yaml()),
            message));
    scope.emit(
        new RunEvent.AttemptFailed(
            scope.runId(),
            now,
            t.step.id(),
            n,
            f.errorClass(),
            message,
            f.hint().map(scope.masker::mask),
            Optional.empty()));
  }

  /** Attempt bookkeeping of one step run. */
  private static final class Tracker {
    final PlannedStep step;
    final int prior;
    final StepHandle handle;
    final AtomicInteger count;
    final AtomicInteger journaled;
    final AtomicReference<Failure> lastFailure = new AtomicReference<>();

    Tracker(PlannedStep step, int prior, StepHandle handle) {
      this.step = step;
      this.prior = prior;
      this.handle = handle;
      this.count = new AtomicInteger(prior);
      this.journaled = new AtomicInteger(prior);
    }

    int next() {
      return count.incrementAndGet();
    }

    Failure failureOf(Throwable e) {
      if (e instanceof Attempt.Failed f) {
        return f.failure();
      }
      return Failure.of(e, step.id(), step.spec().uses(), step.spec().timeout());
    }
  }
}
