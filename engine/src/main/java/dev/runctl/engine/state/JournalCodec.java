package dev.runctl.engine.state;

import dev.runctl.engine.Instants;
import dev.runctl.engine.json.FlatObject;
import dev.runctl.engine.json.Json;
import dev.runctl.engine.state.JournalRecord.AttemptEnded;
import dev.runctl.engine.state.JournalRecord.AttemptStarted;
import dev.runctl.engine.state.JournalRecord.FactRecorded;
import dev.runctl.engine.state.JournalRecord.OutputRecorded;
import dev.runctl.engine.state.JournalRecord.RunEnded;
import dev.runctl.engine.state.JournalRecord.RunStarted;
import dev.runctl.engine.state.JournalRecord.StepEnded;
import dev.runctl.engine.state.JournalRecord.StepsReset;
import dev.runctl.engine.state.JournalRecord.Warning;
import java.time.Instant;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;

/**
 * Journal records to and from one line of JSON each: written by {@link JsonLine}, read by {@link
 * Json}.
 */
final class JournalCodec {
  private static final java.util.Set<String> TYPES =
      java.util.Set.of(
          "run_started",
          "attempt_started",
          "fact",
          "output",
          "attempt_ended",
          "step_ended",
          "steps_reset",
          "warning",
          "run_ended");

  private JournalCodec() {}

  /** One record as a line of JSON ({@link JsonLine}; read back through {@link Json}). */
  static String encode(JournalRecord record) {
    JsonLine j =
        new JsonLine().string("type", type(record)).string("at", Instants.iso(record.at()));
    if (record instanceof RunStarted r) {
      j.string("runId", r.runId())
          .string("job", r.job())
          .string("specFile", r.specFile())
          .number("pid", r.pid())
          .string("host", r.host())
          .number("resume", r.resume())
          .strings("steps", r.steps());
    } else if (record instanceof AttemptStarted r) {
      j.string("step", r.step()).number("attempt", r.attempt());
    } else if (record instanceof FactRecorded r) {
      j.string("key", r.key()).string("value", r.value());
    } else if (record instanceof OutputRecorded r) {
      j.string("step", r.step())
          .number("attempt", r.attempt())
          .string("key", r.key())
          .string("value", r.value());
    } else if (record instanceof AttemptEnded r) {
      j.string("step", r.step())
          .number("attempt", r.attempt())
          .string("outcome", r.outcome().label());
      optional(j, "class", r.errorClass());
      j.string("message", r.message());
    } else if (record instanceof StepEnded r) {
      j.string("step", r.step())
          .string("status", r.status().label())
          .number("attempts", r.attempts());
      optional(j, "fingerprint", r.fingerprint());
      j.string("message", r.message());
    } else if (record instanceof StepsReset r) {
      j.strings("steps", r.steps()).string("reason", r.reason());
    } else if (record instanceof Warning r) {
      optional(j, "step", r.step());
      j.string("message", r.message());
    } else if (record instanceof RunEnded r) {
      j.string("status", r.status().label()).string("reason", r.reason());
      optional(j, "cost", r.cost());
    }
    return j.end();
  }

  private static void optional(JsonLine j, String name, Optional<String> value) {
    if (value.isPresent()) {
      j.string(name, value.get());
    }
  }

  /** A well-formed record of a type this runctl does not know (a newer runctl wrote it). */
  static final class UnknownType extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final String type;

    UnknownType(String type) {
      super("unknown record type '" + type + "'");
      this.type = type;
    }

    String type() {
      return type;
    }
  }

  /**
   * Parses one line; throws {@link IllegalArgumentException} naming what is wrong ({@link
   * UnknownType} for a record of a type it does not know).
   */
  static JournalRecord decode(String line) {
    FlatObject n;
    try (JsonParser p = Json.parser(line)) {
      n = FlatObject.read(p);
    } catch (JacksonException e) {
      // the parser's own words, without its location block (the caller names the line)
      throw new IllegalArgumentException("not JSON: " + Json.problem(e), e);
    }
    String type = n.text("type");
    if (!TYPES.contains(type)) {
      throw new UnknownType(type);
    }
    Instant at = Instant.parse(n.text("at"));
    return switch (type) {
      case "run_started" ->
          new RunStarted(
              at,
              n.text("runId"),
              n.text("job"),
              n.text("specFile"),
              n.number("pid"),
              n.text("host"),
              (int) n.number("resume"),
              n.strings("steps"));
      case "attempt_started" -> new AttemptStarted(at, n.text("step"), (int) n.number("attempt"));
      case "fact" -> new FactRecorded(at, n.text("key"), n.text("value"));
      case "output" ->
          new OutputRecorded(
              at, n.text("step"), (int) n.number("attempt"), n.text("key"), n.text("value"));
      case "attempt_ended" ->
          new AttemptEnded(
              at,
              n.text("step"),
              (int) n.number("attempt"),
              AttemptOutcome.fromLabel(n.text("outcome")),
              n.optional("class"),
              n.text("message"));
      case "step_ended" ->
          new StepEnded(
              at,
              n.text("step"),
              StepStatus.fromLabel(n.text("status")),
              (int) n.number("attempts"),
              n.optional("fingerprint"),
              n.text("message"));
      case "steps_reset" -> new StepsReset(at, n.strings("steps"), n.text("reason"));
      case "warning" -> new Warning(at, n.optional("step"), n.text("message"));
      case "run_ended" ->
          new RunEnded(
              at, RunStatus.fromLabel(n.text("status")), n.text("reason"), n.optional("cost"));
      default -> throw new UnknownType(type);
    };
  }

  static String type(JournalRecord record) {
    if (record instanceof RunStarted) {
      return "run_started";
    }
    if (record instanceof AttemptStarted) {
      return "attempt_started";
    }
    if (record instanceof FactRecorded) {
      return "fact";
    }
    if (record instanceof OutputRecorded) {
      return "output";
    }
    if (record instanceof AttemptEnded) {
      return "attempt_ended";
    }
    if (record instanceof StepEnded) {
      return "step_ended";
    }
    if (record instanceof StepsReset) {
      return "steps_reset";
    }
    if (record instanceof Warning) {
      return "warning";
    }
    if (record instanceof RunEnded) {
      return "run_ended";
    }
    throw new IllegalStateException("unknown record " + record);
  }
}
