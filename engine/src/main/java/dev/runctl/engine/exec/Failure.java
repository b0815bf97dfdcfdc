package dev.runctl.engine.exec;

import dev.failsafe.TimeoutExceededException;
import dev.runctl.engine.IoProblems;
import dev.runctl.engine.RunctlException;
import dev.runctl.engine.spi.ErrorClass;
import dev.runctl.engine.spi.StepException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Optional;

/**
 * A classified attempt failure. Step types classify their own errors with {@link StepException};
 * what reaches the executor unclassified is classified here once: I/O trouble is a transient {@code
 * error}, a {@link RunctlException} a non-retryable {@code failure} with its hint, and any other
 * exception an internal error that no retry can fix.
 */
record Failure(ErrorClass errorClass, boolean retryable, String message, Optional<String> hint) {

  static Failure of(Throwable t, String stepId, String stepType, Optional<Duration> timeout) {
    Throwable e = unwrap(t);
    Optional<IoProblems.Known> machine = IoProblems.of(e, Optional.empty());
    if (machine.isPresent() && !(e instanceof Attempt.Failed)) {
      return ofMachine(e, machine.get());
    }
    if (e instanceof StepException s) {
      return new Failure(s.errorClass(), s.retryable(), s.getMessage(), s.hint());
    }
    if (e instanceof Attempt.Failed f) {
      return f.failure();
    }
    if (e instanceof TimeoutExceededException) {
      return timeout(stepId, timeout);
    }
    if (e instanceof IOException || e instanceof UncheckedIOException) {
      return new Failure(
          ErrorClass.ERROR,
          true,
          "I/O error: " + RunctlException.reasonOf(e),
          Optional.of("a transient error; `retry: {on: [error]}` retries it"));
    }
    if (e instanceof InterruptedException) {
      return new Failure(ErrorClass.ERROR, true, "the attempt was interrupted", Optional.empty());
    }
    if (e instanceof RunctlException r) {
      return new Failure(ErrorClass.FAILURE, false, r.getMessage(), r.hint());
    }
    return new Failure(
        ErrorClass.ERROR,
        false,
        "internal error in step type '"
            + stepType
            + "': "
            + e.getClass().getSimpleName()
            + (e.getMessage() == null ? "" : ": " + e.getMessage())
            + " (not retried)",
        Optional.of(
            "this is a bug in runctl; please report it with the step log and --debug output"));
  }

  /**
   * A full disk or no file descriptors left, whichever step type met it: the system's reason and
   * what to free or raise; a full disk is not retried (the next attempt would meet the same wall),
   * running out of descriptors is an {@code error} retried as such.
   */
  private static Failure ofMachine(Throwable e, IoProblems.Known problem) {
    String message = RunctlException.reasonOf(e);
    if (!(e instanceof RunctlException)) {
      message = "I/O error: " + message;
    }
    if (!message.contains(problem.reason())) {
      message += " (" + problem.reason() + ")";
    }
    Optional<String> given = e instanceof RunctlException r ? r.hint() : Optional.empty();
    return new Failure(
        ErrorClass.ERROR,
        !problem.lasting(),
        message,
        problem.saidIn(given) ? given : Optional.of(problem.hint()));
  }

  static Failure timeout(String stepId, Optional<Duration> timeout) {
    String limit = timeout.map(Failure::human).orElse("its limit");
    return new Failure(
        ErrorClass.TIMEOUT,
        true,
        "the attempt ran past its timeout of " + limit + " and was stopped",
        Optional.of("raise `timeout:` of step '" + stepId + "' if it needs longer"));
  }

  private static Throwable unwrap(Throwable t) {
    Throwable e = t;
    while ((e instanceof dev.failsafe.FailsafeException
            || e instanceof java.util.concurrent.ExecutionException
            || e instanceof java.util.concurrent.CompletionException)
        && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }

  /** {@code 1h30m}, {@code 45s}, {@code 250ms}. */
  static String human(Duration d) {
    return dev.runctl.engine.spi.Durations.format(d);
  }
}
