package dev.runctl.engine.state;

import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.PrettyPrinter;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.util.DefaultPrettyPrinter;
import tools.jackson.databind.JsonNode;

/** {@link RunState} to and from the JSON of {@code state.json}. */
final class StateCodec {
  /** Writing needs only the streaming factory: apply never builds a mapper. */
  private static final JsonFactory FACTORY = JsonFactory.builder().build();

  private StateCodec() {}

  /** Written with the streaming generator, pretty-printed: apply never needs a mapper. */
  static String encode(RunState s, long journalBytes) {
    StringWriter out = new StringWriter(256 + 160 * s.steps().size());
    try (JsonGenerator g = FACTORY.createGenerator(PRETTY, out)) {
      g.writeStartObject();
      g.writeStringProperty("runId", s.runId());
      g.writeStringProperty("job", s.job());
      g.writeStringProperty("specFile", s.specFile());
      g.writeStringProperty("status", s.status().label());
      g.writeStringProperty("reason", s.reason());
      g.writeStringProperty("startedAt", s.startedAt().toString());
      if (s.endedAt().isPresent()) {
        g.writeStringProperty("endedAt", s.endedAt().get().toString());
      }
      g.writeNumberProperty("resumes", s.resumes());
      g.writeNumberProperty("liveMillis", s.liveTime().toMillis());
      g.writeNumberProperty("pid", s.pid());
      g.writeStringProperty("host", s.host());
      if (s.cost().isPresent()) {
        g.writeStringProperty("cost", s.cost().get());
      }
      g.writeNumberProperty("journalBytes", journalBytes);
      g.writeObjectPropertyStart("steps");
      for (StepState st : s.steps().values()) {
        g.writeObjectPropertyStart(st.id());
        g.writeStringProperty("status", st.status().label());
        g.writeNumberProperty("attempts", st.attempts());
        if (st.startedAt().isPresent()) {
          g.writeStringProperty("startedAt", st.startedAt().get().toString());
        }
        if (st.endedAt().isPresent()) {
          g.writeStringProperty("endedAt", st.endedAt().get().toString());
        }
        strings(g, "outputs", st.outputs());
        if (st.fingerprint().isPresent()) {
          g.writeStringProperty("fingerprint", st.fingerprint().get());
        }
        if (st.errorClass().isPresent()) {
          g.writeStringProperty("class", st.errorClass().get());
        }
        g.writeStringProperty("message", st.message());
        g.writeEndObject();
      }
      g.writeEndObject();
      strings(g, "facts", s.facts());
      g.writeArrayPropertyStart("warnings");
      for (String w : s.warnings()) {
        g.writeString(w);
      }
      g.writeEndArray();
      g.writeEndObject();
    }
    return out.toString();
  }

  private static void strings(JsonGenerator g, String name, Map<String, String> values) {
    g.writeObjectPropertyStart(name);
    for (Map.Entry<String, String> e : values.entrySet()) {
      g.writeStringProperty(e.getKey(), e.getValue());
    }
    g.writeEndObject();
  }

  /** Indented as Jackson's default pretty printer does, for people who open the file. */
  private static final ObjectWriteContext PRETTY =
      new ObjectWriteContext.Base() {
        @Override
        public PrettyPrinter getPrettyPrinter() {
          return new DefaultPrettyPrinter();
        }

        @Override
        public boolean hasPrettyPrinter() {
          return true;
        }
      };

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
