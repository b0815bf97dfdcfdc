package dev.runctl.engine.state;

import dev.runctl.engine.state.JournalRecord.AttemptEnded;
import dev.runctl.engine.state.JournalRecord.AttemptStarted;
import dev.runctl.engine.state.JournalRecord.FactRecorded;
import dev.runctl.engine.state.JournalRecord.OutputRecorded;
import dev.runctl.engine.state.JournalRecord.RunEnded;
import dev.runctl.engine.state.JournalRecord.RunStarted;
import dev.runctl.engine.state.JournalRecord.StepEnded;
import dev.runctl.engine.state.JournalRecord.StepsReset;
import dev.runctl.engine.state.JournalRecord.Warning;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Folds journal records, in order, into a {@link RunState}. Not thread-safe. */
public final class StateBuilder {
  private String runId = "";
  private String job = "";
  private String specFile = "";
  private RunStatus status = RunStatus.RUNNING;
  private String reason = "";
  private Instant startedAt = Instant.EPOCH;
  private Instant endedAt;
  private int resumes;
  private long closedLiveMillis;
  private Instant segmentStart;
  private Instant lastAt;
  private long pid;
  private String host = "";
  private String cost;
  private final Map<String, StepState> steps = new LinkedHashMap<>();
  private final Map<String, Map<String, String>> attemptOutputs = new LinkedHashMap<>();
  private final Map<String, String> facts = new LinkedHashMap<>();
  private final List<String> warnings = new ArrayList<>();

  public void apply(JournalRecord record) {
    if (record instanceof RunStarted && segmentStart != null) {
      closedLiveMillis += Duration.between(segmentStart, lastAt).toMillis();
    }
    if (record instanceof RunStarted) {
      segmentStart = record.at();
    }
    lastAt = record.at();
    if (record instanceof RunStarted r) {
      if (resumes == 0 && runId.isEmpty()) {
        startedAt = r.at();
      }
      runId = r.runId();
      job = r.job();
      specFile = r.specFile();
      resumes = r.resume();
      pid = r.pid();
      host = r.host();
      status = RunStatus.RUNNING;
      reason = "";
      endedAt = null;
      r.steps().forEach(id -> steps.computeIfAbsent(id, StepState::pending));
    } else if (record instanceof AttemptStarted r) {
      StepState s = step(r.step());
      attemptOutputs.remove(r.step());
      put(
          new StepState(
              s.id(),
              StepStatus.RUNNING,
              Math.max(s.attempts(), r.attempt()),
              // the attempt's own start: a step's time is its last attempt's, not the idle gap
              // between a failed attempt and the resume that started the next one
              Optional.of(r.at()),
              Optional.empty(),
              s.outputs(),
              s.fingerprint(),
              Optional.empty(),
              ""));
    } else if (record instanceof FactRecorded r) {
      facts.put(r.key(), r.value());
    } else if (record instanceof OutputRecorded r) {
      attemptOutputs.computeIfAbsent(r.step(), k -> new LinkedHashMap<>()).put(r.key(), r.value());
    } else if (record instanceof AttemptEnded r) {
      StepState s = step(r.step());
      put(
          new StepState(
              s.id(),
              s.status(),
              Math.max(s.attempts(), r.attempt()),
              s.startedAt(),
              s.endedAt(),
              s.outputs(),
              s.fingerprint(),
              r.errorClass(),
              r.message()));
    } else if (record instanceof StepEnded r) {
      StepState s = step(r.step());
      Map<String, String> outputs =
          r.status() == StepStatus.SUCCEEDED
              ? attemptOutputs.getOrDefault(r.step(), Map.of())
              : Map.of();
      attemptOutputs.remove(r.step());
      put(
          new StepState(
              s.id(),
              r.status(),
              Math.max(s.attempts(), r.attempts()),
              s.startedAt().or(() -> Optional.of(r.at())),
              Optional.of(r.at()),
              outputs,
              r.fingerprint(),
              r.status() == StepStatus.SUCCEEDED ? Optional.empty() : s.errorClass(),
              r.message().isEmpty() ? s.message() : r.message()));
    } else if (record instanceof StepsReset r) {
      for (String id : r.steps()) {
        StepState s = step(id);
        put(
            new StepState(
                id,
                StepStatus.PENDING,
                s.attempts(),
                s.startedAt(),
                Optional.empty(),
                Map.of(),
                Optional.empty(),
                Optional.empty(),
                r.reason()));
      }
    } else if (record instanceof Warning r) {
      warnings.add(r.step().map(s -> s + ": ").orElse("") + r.message());
    } else if (record instanceof RunEnded r) {
      status = r.status();
      reason = r.reason();
      endedAt = r.at();
      cost = r.cost().orElse(null);
    }
  }

  private StepState step(String id) {
    return steps.computeIfAbsent(id, StepState::pending);
  }

  private void put(StepState s) {
    steps.put(s.id(), s);
  }

  public RunState build() {
    return new RunState(
        runId,
        job,
        specFile,
        status,
        reason,
        startedAt,
        Optional.ofNullable(endedAt),
        resumes,
        Duration.ofMillis(
            closedLiveMillis
                + (segmentStart == null ? 0 : Duration.between(segmentStart, lastAt).toMillis())),
        pid,
        host,
        Optional.ofNullable(cost),
        steps,
        facts,
        warnings);
  }
}
