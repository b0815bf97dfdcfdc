package dev.runctl.engine.exec;

import dev.runctl.engine.spi.ErrorClass;
import dev.runctl.engine.state.RunStatus;
import dev.runctl.engine.state.StepStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a run tells its listener (the CLI renders these as progress, plain lines or JSON lines).
 * Every event carries the run id and when it happened.
 */
public sealed interface RunEvent {
  String runId();

  Instant at();

  /**
   * A process began the run ({@code resume} = 0) or resumed it. {@code steps} is the plan order;
   * {@code done} the steps that succeeded in earlier processes and will not run again.
   */
  record Started(
      String runId,
      Instant at,
      String job,
      Path runDir,
      List<String> steps,
      List<String> done,
      int resume,
      int parallelism)
      implements RunEvent {
    public Started {
      steps = List.copyOf(steps);
      done = List.copyOf(done);
    }
  }

  /** An attempt of a step began; its log is at {@code log}. */
  record AttemptStarted(String runId, Instant at, String step, int attempt, Path log)
      implements RunEvent {}

  /** The step's idempotency check found its work done; nothing ran. */
  record AlreadyDone(String runId, Instant at, String step, int attempt) implements RunEvent {}

  /** An attempt failed; {@code retryIn} is set when another attempt will follow after it. */
  record AttemptFailed(
      String runId,
      Instant at,
      String step,
      int attempt,
      ErrorClass errorClass,
      String message,
      Optional<String> hint,
      Optional<Duration> retryIn)
      implements RunEvent {}

  /** A step's live status line (e.g. "uploaded 120/2000 files"). */
  record Progress(String runId, Instant at, String step, String message) implements RunEvent {}

  /** The newest point a step's training reported through {@code $RUNCTL_METRICS}. */
  record Metrics(String runId, Instant at, String step, dev.runctl.engine.spi.MetricPoint point)
      implements RunEvent {}

  record StepEnded(
      String runId,
      Instant at,
      String step,
      StepStatus status,
      int attempts,
      Duration elapsed,
      Map<String, String> outputs,
      String message)
      implements RunEvent {
    public StepEnded {
      outputs = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(outputs));
    }
  }

  /** Something the user must see: a fallback, a lock taken over, a budget breach. */
  record Warning(String runId, Instant at, Optional<String> step, String message)
      implements RunEvent {}

  /** The run stops being launched: a cancel request or a budget breach. */
  record Stopping(String runId, Instant at, String reason) implements RunEvent {}

  record Ended(String runId, Instant at, RunStatus status, String reason, Duration elapsed)
      implements RunEvent {}
}
