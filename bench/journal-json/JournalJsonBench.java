package dev.runctl.engine.state;

import java.time.Instant;
import java.util.Optional;
import tools.jackson.core.JsonGenerator;

/**
 * bench/journal-json.sh's measurement: encodes the three journal records of each step of an
 * N-step run (attempt_started, attempt_ended, step_ended) in a fresh JVM, the way a run does, with
 * either the journal's codec (its hand-made {@code JsonLine}) or jackson-core's generator, reused
 * line after line as {@code Json.line} reuses it (the journal's writer until the hand-made one came
 * back), and prints the process's CPU milliseconds it took.
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
        chars += (writer.equals("jackson") ? generator(r) : JournalCodec.encode(r)).length();
      }
    }
    // CPU time of the whole process (the compiler's threads too): the figure a loaded machine
    // moves least, and what the encoding takes from a run's two cores
    long c1 = os.getProcessCpuTime();
    System.out.printf("%.2f %d%n", (c1 - c0) / 1e6, chars);
  }

  /** The records as jackson-core's generator wrote them for the journal. */
  private static String generator(JournalRecord record) {
    return dev.runctl.engine.json.Json.line(
        g -> {
          g.writeStartObject();
          g.writeStringProperty("type", JournalCodec.type(record));
          g.writeStringProperty("at", dev.runctl.engine.Instants.iso(record.at()));
          if (record instanceof JournalRecord.AttemptStarted r) {
            g.writeStringProperty("step", r.step());
            g.writeNumberProperty("attempt", r.attempt());
          } else if (record instanceof JournalRecord.AttemptEnded r) {
            g.writeStringProperty("step", r.step());
            g.writeNumberProperty("attempt", r.attempt());
            g.writeStringProperty("outcome", r.outcome().label());
            optional(g, "class", r.errorClass());
            g.writeStringProperty("message", r.message());
          } else if (record instanceof JournalRecord.StepEnded r) {
            g.writeStringProperty("step", r.step());
            g.writeStringProperty("status", r.status().label());
            g.writeNumberProperty("attempts", r.attempts());
            optional(g, "fingerprint", r.fingerprint());
            g.writeStringProperty("message", r.message());
          }
          g.writeEndObject();
        });
  }

  private static void optional(JsonGenerator g, String name, Optional<String> value) {
    if (value.isPresent()) {
      g.writeStringProperty(name, value.get());
    }
  }
}
