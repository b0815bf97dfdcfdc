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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Journal records to and from one line of JSON each. Package-private: Jackson stays inside. */
final class JournalCodec {
  private static final JsonMapper MAPPER = JsonMapper.builder().build();

  private JournalCodec() {}

  static String encode(JournalRecord record) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("type", type(record));
    n.put("at", record.at().toString());
    if (record instanceof RunStarted r) {
      n.put("runId", r.runId());
      n.put("job", r.job());
      n.put("specFile", r.specFile());
      n.put("pid", r.pid());
      n.put("host", r.host());
      n.put("resume", r.resume());
      ArrayNode steps = n.putArray("steps");
      r.steps().forEach(steps::add);
    } else if (record instanceof AttemptStarted r) {
      n.put("step", r.step());
      n.put("attempt", r.attempt());
    } else if (record instanceof FactRecorded r) {
      n.put("key", r.key());
      n.put("value", r.value());
    } else if (record instanceof OutputRecorded r) {
      n.put("step", r.step());
      n.put("attempt", r.attempt());
      n.put("key", r.key());
      n.put("value", r.value());
    } else if (record instanceof AttemptEnded r) {
      n.put("step", r.step());
      n.put("attempt", r.attempt());
      n.put("outcome", r.outcome().label());
      r.errorClass().ifPresent(c -> n.put("class", c));
      n.put("message", r.message());
    } else if (record instanceof StepEnded r) {
      n.put("step", r.step());
      n.put("status", r.status().label());
      n.put("attempts", r.attempts());
      r.fingerprint().ifPresent(f -> n.put("fingerprint", f));
      n.put("message", r.message());
    } else if (record instanceof StepsReset r) {
      ArrayNode steps = n.putArray("steps");
      r.steps().forEach(steps::add);
      n.put("reason", r.reason());
    } else if (record instanceof Warning r) {
      r.step().ifPresent(s -> n.put("step", s));
      n.put("message", r.message());
    } else if (record instanceof RunEnded r) {
      n.put("status", r.status().label());
      n.put("reason", r.reason());
      r.cost().ifPresent(c -> n.put("cost", c));
    }
    return MAPPER.writeValueAsString(n);
  }

  /** Parses one line; throws {@link IllegalArgumentException} naming what is wrong. */
  static JournalRecord decode(String line) {
    JsonNode n;
    try {
      n = MAPPER.readTree(line);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
    }
    if (n == null || !n.isObject()) {
      throw new IllegalArgumentException("not a JSON object");
    }
    String type = text(n, "type");
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
      default -> throw new IllegalArgumentException("unknown record type '" + type + "'");
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
    return MAPPER;
  }
}
