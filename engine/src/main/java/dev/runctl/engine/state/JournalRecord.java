package dev.runctl.engine.state;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One line of a run's journal. The journal is append-only; a run's state is what these records say,
 * replayed in order ({@link RunState#replay}).
 */
public sealed interface JournalRecord {

  /** When it happened. */
  Instant at();

  /** A process began (or resumed) the run. {@code resume} counts earlier processes. */
  record RunStarted(
      Instant at,
      String runId,
      String job,
      String specFile,
      long pid,
      String host,
      int resume,
      List<String> steps)
      implements JournalRecord {
    public RunStarted {
      steps = List.copyOf(steps);
    }
  }

  record AttemptStarted(Instant at, String step, int attempt) implements JournalRecord {}

  /** A durable fact recorded through {@link dev.runctl.engine.spi.Facts#put}. */
  record FactRecorded(Instant at, String key, String value) implements JournalRecord {}

  /** An output of a successful attempt; it counts once the step's {@link StepEnded} follows. */
  record OutputRecorded(Instant at, String step, int attempt, String key, String value)
      implements JournalRecord {}

  /** The end of one attempt. {@code errorClass} is empty on success. */
  record AttemptEnded(
      Instant at,
      String step,
      int attempt,
      AttemptOutcome outcome,
      Optional<String> errorClass,
      String message)
      implements JournalRecord {}

  record StepEnded(
      Instant at,
      String step,
      StepStatus status,
      int attempts,
      Optional<String> fingerprint,
      String message)
      implements JournalRecord {}

  /** Steps whose earlier success no longer counts (resume --rerun-changed). */
  record StepsReset(Instant at, List<String> steps, String reason) implements JournalRecord {
    public StepsReset {
      steps = List.copyOf(steps);
    }
  }

  record Warning(Instant at, Optional<String> step, String message) implements JournalRecord {}

  /** {@code cost} is the target's figure in USD when it reports prices. */
  record RunEnded(Instant at, RunStatus status, String reason, Optional<String> cost)
      implements JournalRecord {}
}
