package dev.runctl.engine.state;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * One step as the journal knows it. {@code attempts} is the highest attempt number started, across
 * resumes; {@code outputs} are those of its successful attempt; {@code errorClass} and {@code
 * message} describe how its last attempt or the step ended; {@code startedAt} is when its last
 * attempt started, so that its duration leaves out the time between a failure and a resume.
 */
public record StepState(
    String id,
    StepStatus status,
    int attempts,
    Optional<Instant> startedAt,
    Optional<Instant> endedAt,
    Map<String, String> outputs,
    Optional<String> fingerprint,
    Optional<String> errorClass,
    String message) {

  public StepState {
    outputs = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(outputs));
  }

  static StepState pending(String id) {
    return new StepState(
        id,
        StepStatus.PENDING,
        0,
        Optional.empty(),
        Optional.empty(),
        Map.of(),
        Optional.empty(),
        Optional.empty(),
        "");
  }
}
