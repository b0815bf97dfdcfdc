package dev.runctl.engine.exec;

import dev.runctl.engine.plan.PlannedStep;
import dev.runctl.engine.spec.When;
import dev.runctl.engine.state.StepStatus;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * The pool threads' side of the run loop: runs one decided step (or skips it when the run is
 * stopping and the step is not {@code always}), and keeps a handle on every running step so that
 * the loop can stop it.
 */
final class StepWorker {
  /** A step's end as the worker saw it; the loop journals it. */
  record Done(PlannedStep step, StepRunner.Outcome outcome) {}

  private final RunScope scope;
  private final StepRunner runner;
  private final Map<String, Integer> attempts;
  private final Map<String, StepHandle> running = new ConcurrentHashMap<>();
  private final Map<String, Instant> startedAt = new ConcurrentHashMap<>();

  StepWorker(RunScope scope, StepRunner runner, Map<String, Integer> attempts) {
    this.scope = scope;
    this.runner = runner;
    this.attempts = attempts;
  }

  /** Runs {@code s}; {@code stopReason}, when present, skips it unless it runs {@code always}. */
  Done run(PlannedStep s, Optional<String> stopReason) {
    int prior = attempts.getOrDefault(s.id(), 0);
    if (stopReason.isPresent() && s.spec().when() != When.ALWAYS) {
      return new Done(
          s,
          new StepRunner.Outcome(
              StepStatus.SKIPPED,
              prior,
              stopReason.get(),
              Optional.empty(),
              Map.of(),
              Optional.empty()));
    }
    StepHandle h = new StepHandle();
    running.put(s.id(), h);
    startedAt.put(s.id(), scope.clock.now());
    StepRunner.Outcome o;
    try {
      o = runner.run(s, prior, h);
    } catch (RuntimeException e) {
      // met outside an attempt (its log, its journal records): classified as an attempt's would be
      Failure f = Failure.of(e, s.id(), s.spec().uses(), s.spec().timeout());
      o =
          new StepRunner.Outcome(
              StepStatus.FAILED,
              prior + 1,
              f.message() + f.hint().map(hint -> " (" + hint + ")").orElse(""),
              Optional.empty(),
              Map.of(),
              Optional.of(f.errorClass()));
    } catch (Error e) {
      o =
          new StepRunner.Outcome(
              StepStatus.FAILED,
              prior + 1,
              "internal error: " + e,
              Optional.empty(),
              Map.of(),
              Optional.empty());
    }
    if (o.status() == StepStatus.SUCCEEDED) {
      scope.outputs.put(s.id(), o.outputs());
    }
    running.remove(s.id());
    return new Done(s, o);
  }

  /** When {@code stepId} started, or {@code otherwise} when it never ran. */
  Instant startedAt(String stepId, Instant otherwise) {
    return startedAt.getOrDefault(stepId, otherwise);
  }

  /** Each running step's handle, by step id. */
  void forEachRunning(BiConsumer<String, StepHandle> action) {
    running.forEach(action);
  }
}
