package dev.runctl.engine.state;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** {@link RunState} to and from the JSON of {@code state.json}. */
final class StateCodec {
  private StateCodec() {}

  static String encode(RunState s, long journalBytes) {
    ObjectNode n = JournalCodec.mapper().createObjectNode();
    n.put("runId", s.runId());
    n.put("job", s.job());
    n.put("specFile", s.specFile());
    n.put("status", s.status().label());
    n.put("reason", s.reason());
    n.put("startedAt", s.startedAt().toString());
    s.endedAt().ifPresent(e -> n.put("endedAt", e.toString()));
    n.put("resumes", s.resumes());
    n.put("liveMillis", s.liveTime().toMillis());
    n.put("pid", s.pid());
    n.put("host", s.host());
    s.cost().ifPresent(c -> n.put("cost", c));
    n.put("journalBytes", journalBytes);
    ObjectNode steps = n.putObject("steps");
    for (StepState st : s.steps().values()) {
      ObjectNode o = steps.putObject(st.id());
      o.put("status", st.status().label());
      o.put("attempts", st.attempts());
      st.startedAt().ifPresent(t -> o.put("startedAt", t.toString()));
      st.endedAt().ifPresent(t -> o.put("endedAt", t.toString()));
      ObjectNode outs = o.putObject("outputs");
      st.outputs().forEach(outs::put);
      st.fingerprint().ifPresent(f -> o.put("fingerprint", f));
      st.errorClass().ifPresent(c -> o.put("class", c));
      o.put("message", st.message());
    }
    ObjectNode facts = n.putObject("facts");
    s.facts().forEach(facts::put);
    s.warnings().forEach(n.putArray("warnings")::add);
    return JournalCodec.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(n);
  }

  /** The state and the journal size it was built from. */
  record Decoded(RunState state, long journalBytes) {}

  static Decoded decode(String json) {
    JsonNode n = JournalCodec.mapper().readTree(json);
    Map<String, StepState> steps = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : n.path("steps").properties()) {
      JsonNode o = e.getValue();
      steps.put(
          e.getKey(),
          new StepState(
              e.getKey(),
              StepStatus.fromLabel(o.path("status").asString()),
              o.path("attempts").asInt(),
              instant(o, "startedAt"),
              instant(o, "endedAt"),
              strings(o.path("outputs")),
              text(o, "fingerprint"),
              text(o, "class"),
              o.path("message").asString("")));
    }
    List<String> warnings = new ArrayList<>();
    n.path("warnings").forEach(w -> warnings.add(w.asString()));
    RunState s =
        new RunState(
            n.path("runId").asString(),
            n.path("job").asString(),
            n.path("specFile").asString(""),
            RunStatus.fromLabel(n.path("status").asString()),
            n.path("reason").asString(""),
            Instant.parse(n.path("startedAt").asString()),
            instant(n, "endedAt"),
            n.path("resumes").asInt(),
            Duration.ofMillis(n.path("liveMillis").asLong()),
            n.path("pid").asLong(),
            n.path("host").asString(""),
            text(n, "cost"),
            steps,
            strings(n.path("facts")),
            warnings);
    return new Decoded(s, n.path("journalBytes").asLong(-1));
  }

  private static Map<String, String> strings(JsonNode obj) {
    Map<String, String> m = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : obj.properties()) {
      m.put(e.getKey(), e.getValue().asString());
    }
    return m;
  }

  private static Optional<String> text(JsonNode n, String f) {
    JsonNode v = n.get(f);
    return v == null || v.isNull() ? Optional.empty() : Optional.of(v.asString());
  }

  private static Optional<Instant> instant(JsonNode n, String f) {
    return text(n, f).map(Instant::parse);
  }
}
