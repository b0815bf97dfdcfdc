package dev.runctl.engine.state;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A run as its journal tells it. {@code status} is {@link RunStatus#RUNNING} both for a live run
 * and for one whose process died; {@link RunLock#holder} tells them apart. {@code liveTime} sums
 * the time the run's processes were alive (what {@code budget.max_duration} counts).
 */
public record RunState(
    String runId,
    String job,
    String specFile,
    RunStatus status,
    String reason,
    Instant startedAt,
    Optional<Instant> endedAt,
    int resumes,
    Duration liveTime,
    long pid,
    String host,
    Optional<String> cost,
    Map<String, StepState> steps,
    Map<String, String> facts,
    List<String> warnings) {

  public RunState {
    steps = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(steps));
    facts = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(facts));
    warnings = List.copyOf(warnings);
  }

  /** Replays journal records into a state. */
  public static RunState replay(List<JournalRecord> records) {
    StateBuilder b = new StateBuilder();
    records.forEach(b::apply);
    return b.build();
  }

  public Optional<StepState> step(String id) {
    return Optional.ofNullable(steps.get(id));
  }

  /** Wall time from the first start to the end, or to {@code now} while not ended. */
  public Duration elapsed(Instant now) {
    return Duration.between(startedAt, endedAt.orElse(now));
  }

  /** The steps with the given status, in plan order. */
  public java.util.List<String> stepsWith(StepStatus status) {
    return steps.values().stream().filter(s -> s.status() == status).map(StepState::id).toList();
  }
}
