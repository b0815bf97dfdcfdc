package dev.runctl.cli.report;

import dev.runctl.engine.state.JournalRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a run's journal says happened when: one bar per attempt (with its outcome), and the gaps
 * while no runctl was running the run (a crash or kill, until the resume that reattached).
 */
record Timeline(Instant start, Instant end, List<Bar> bars, List<Gap> gaps, List<String> steps) {

  /** One attempt of a step; {@code outcome} is "interrupted" when its runctl went away. */
  record Bar(String step, int attempt, Instant from, Instant to, String outcome, String message) {}

  /** No runctl ran the run from {@code from} (its last record) to {@code to} (the resume). */
  record Gap(Instant from, Instant to) {}

  static Timeline of(List<JournalRecord> records, Instant now) {
    List<Bar> bars = new ArrayList<>();
    List<Gap> gaps = new ArrayList<>();
    List<String> steps = new ArrayList<>();
    Map<String, JournalRecord.AttemptStarted> open = new LinkedHashMap<>();
    Instant start = records.isEmpty() ? now : records.get(0).at();
    Instant last = start;
    Optional<Instant> ended = Optional.empty();
    for (JournalRecord r : records) {
      if (r instanceof JournalRecord.RunStarted s) {
        s.steps().stream().filter(id -> !steps.contains(id)).forEach(steps::add);
        if (s.resume() > 0) {
          for (JournalRecord.AttemptStarted a : open.values()) {
            bars.add(
                new Bar(a.step(), a.attempt(), a.at(), last, "interrupted", "runctl went away"));
          }
          open.clear();
          if (s.at().isAfter(last)) {
            gaps.add(new Gap(last, s.at()));
          }
        }
      } else if (r instanceof JournalRecord.AttemptStarted a) {
        open.put(a.step(), a);
      } else if (r instanceof JournalRecord.AttemptEnded e) {
        JournalRecord.AttemptStarted a = open.remove(e.step());
        if (a != null) {
          bars.add(
              new Bar(e.step(), e.attempt(), a.at(), e.at(), e.outcome().label(), e.message()));
        }
      } else if (r instanceof JournalRecord.RunEnded e) {
        ended = Optional.of(e.at());
      }
      last = r.at().isAfter(last) ? r.at() : last;
    }
    Instant end = ended.orElse(open.isEmpty() ? last : now);
    for (JournalRecord.AttemptStarted a : open.values()) {
      bars.add(new Bar(a.step(), a.attempt(), a.at(), end, "running", ""));
    }
    return new Timeline(start, end.isAfter(start) ? end : start.plusMillis(1), bars, gaps, steps);
  }
}
