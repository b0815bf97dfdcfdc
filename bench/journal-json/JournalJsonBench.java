package dev.runctl.engine.state;

import java.time.Instant;
import java.util.Optional;

/**
 * bench/journal-json.sh's measurement: encodes the three journal records of each step of an
 * N-step run (attempt_started, attempt_ended, step_ended) in a fresh JVM, the way a run does, with
 * either the journal's codec (jackson-core's generator) or the hand-made writer the journal used
 * before ({@code HandJsonLine}, taken from git by the script), and prints the process's CPU
 * milliseconds it took.
 */
public final class JournalJsonBench {
  public static void main(String[] args) {
    String writer = args[0];
    int steps = Integer.parseInt(args[1]);
    Instant at = Instant.parse("2026-12-06T16:00:00.123456789Z");
    long chars = 0;
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    long c0 = os.getProcessCpuTime();
    for (int i = 0; i < steps; i++) {
      String step = "s" + (10000 + i);
      JournalRecord[] records = {
        new JournalRecord.AttemptStarted(at, step, 1),
        new JournalRecord.AttemptEnded(
            at, step, 1, AttemptOutcome.SUCCEEDED, Optional.empty(), ""),
        new JournalRecord.StepEnded(
            at, step, StepStatus.SUCCEEDED, 1, Optional.of("sha256:" + i), "")
      };
      for (JournalRecord r : records) {
        chars += (writer.equals("jackson") ? JournalCodec.encode(r) : hand(r)).length();
      }
    }
    // CPU time of the whole process (the compiler's threads too): the figure a loaded machine
    // moves least, and what the encoding takes from a run's two cores
    long c1 = os.getProcessCpuTime();
    System.out.printf("%.2f %d%n", (c1 - c0) / 1e6, chars);
  }

  /** The records as the hand-made writer wrote them (the codec of that time, these types). */
  private static String hand(JournalRecord record) {
    HandJsonLine j =
        new HandJsonLine()
            .plain("type", JournalCodec.type(record))
            .plain("at", dev.runctl.engine.Instants.iso(record.at()));
    if (record instanceof JournalRecord.AttemptStarted r) {
      j.plain("step", r.step()).number("attempt", r.attempt());
    } else if (record instanceof JournalRecord.AttemptEnded r) {
      j.plain("step", r.step())
          .number("attempt", r.attempt())
          .plain("outcome", r.outcome().label());
      r.errorClass().ifPresent(c -> j.plain("class", c));
      j.string("message", r.message());
    } else if (record instanceof JournalRecord.StepEnded r) {
      j.plain("step", r.step())
          .plain("status", r.status().label())
          .number("attempts", r.attempts());
      r.fingerprint().ifPresent(f -> j.string("fingerprint", f));
      j.string("message", r.message());
    }
    return j.end();
  }
}
