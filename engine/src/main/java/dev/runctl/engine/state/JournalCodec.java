package dev.runctl.engine.state;

import dev.runctl.engine.Instants;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Journal records to and from one line of JSON each. Package-private: Jackson stays inside. */
final class JournalCodec {
  /** Reading builds a mapper, on first use: a run that only writes never pays for it. */
  private static final class Reader {
    static final JsonMapper MAPPER = JsonMapper.builder().build();
  }

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

  /** One record as a line of JSON (see {@link JsonLine}). */
  static String encode(JournalRecord record) {
    JsonLine j = new JsonLine().plain("type", type(record)).plain("at", Instants.iso(record.at()));
    if (record instanceof RunStarted r) {
      j.string("runId", r.runId())
          .string("job", r.job())
          .string("specFile", r.specFile())
          .number("pid", r.pid())
          .string("host", r.host())
          .number("resume", r.resume())
          .strings("steps", r.steps());
    } else if (record instanceof AttemptStarted r) {
      j.plain("step", r.step()).number("attempt", r.attempt());
    } else if (record instanceof FactRecorded r) {
      j.string("key", r.key()).string("value", r.value());
    } else if (record instanceof OutputRecorded r) {
      j.plain("step", r.step())
          .number("attempt", r.attempt())
          .string("key", r.key())
          .string("value", r.value());
    } else if (record instanceof AttemptEnded r) {
      j.plain("step", r.step())
          .number("attempt", r.attempt())
          .plain("outcome", r.outcome().label());
      if (r.errorClass().isPresent()) {
        j.plain("class", r.errorClass().get());
      }
      j.string("message", r.message());
    } else if (record instanceof StepEnded r) {
      j.plain("step", r.step())
          .plain("status", r.status().label())
          .number("attempts", r.attempts());
      if (r.fingerprint().isPresent()) {
        j.string("fingerprint", r.fingerprint().get());
      }
      j.string("message", r.message());
    } else if (record instanceof StepsReset r) {
      j.strings("steps", r.steps()).string("reason", r.reason());
    } else if (record instanceof Warning r) {
      if (r.step().isPresent()) {
        j.string("step", r.step().get());
      }
      j.string("message", r.message());
    } else if (record instanceof RunEnded r) {
      j.plain("status", r.status().label()).string("reason", r.reason());
      if (r.cost().isPresent()) {
        j.string("cost", r.cost().get());
      }
    }
    return j.end();
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
    JsonNode n;
    try {
      n = Reader.MAPPER.readTree(line);
    } catch (tools.jackson.core.JacksonException e) {
      // the parser's own words, without its location block (the caller names the line)
      throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
    }
    if (n == null || !n.isObject()) {
      throw new IllegalArgumentException("not a JSON object");
    }
    String type = text(n, "type");
    if (!TYPES.contains(type)) {
      throw new UnknownType(type);
    }
    Instant at = Instant.parse(text(n, "at"));
    return switch (type) {
      case "run_started" ->
          new RunStarted(
              at,
              text(n, "runId"),
              text(n, "job"),
              text(n, "specFile"),
              n.path("pid").asLong(),
              text(n, "host"),
              n.path("resume").asInt(),
              strings(n.path("steps")));
      case "attempt_started" -> new AttemptStarted(at, text(n, "step"), n.path("attempt").asInt());
      case "fact" -> new FactRecorded(at, text(n, "key"), text(n, "value"));
      case "output" ->
          new OutputRecorded(
              at, text(n, "step"), n.path("attempt").asInt(), text(n, "key"), text(n, "value"));
      case "attempt_ended" ->
          new AttemptEnded(
              at,
              text(n, "step"),
              n.path("attempt").asInt(),
              AttemptOutcome.fromLabel(text(n, "outcome")),
              optionalText(n, "class"),
              text(n, "message"));
      case "step_ended" ->
          new StepEnded(
              at,
              text(n, "step"),
              StepStatus.fromLabel(text(n, "status")),
              n.path("attempts").asInt(),
              optionalText(n, "fingerprint"),
              text(n, "message"));
      case "steps_reset" -> new StepsReset(at, strings(n.path("steps")), text(n, "reason"));
      case "warning" -> new Warning(at, optionalText(n, "step"), text(n, "message"));
      case "run_ended" ->
          new RunEnded(
              at,
              RunStatus.fromLabel(text(n, "status")),
              text(n, "reason"),
              optionalText(n, "cost"));
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

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      throw new IllegalArgumentException("field '" + field + "' is missing");
    }
    return v.asString();
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(s -> out.add(s.asString()));
    return out;
  }

  private static Optional<String> optionalText(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? Optional.empty() : Optional.of(v.asString());
  }

  static JsonMapper mapper() {
    return Reader.MAPPER;
  }
}
