package dev.runctl.engine.state;

import dev.runctl.engine.json.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/** {@link RunState} to and from the JSON of {@code state.json}. */
final class StateCodec {
  private StateCodec() {}

  /** Written pretty-printed by the one generator ({@link Json}). */
  static String encode(RunState s, long journalBytes) {
    return Json.pretty(g -> write(s, journalBytes, g));
  }

  private static void write(RunState s, long journalBytes, JsonGenerator g) {
    {
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
  }

  private static void strings(JsonGenerator g, String name, Map<String, String> values) {
    g.writeObjectPropertyStart(name);
    for (Map.Entry<String, String> e : values.entrySet()) {
      g.writeStringProperty(e.getKey(), e.getValue());
    }
    g.writeEndObject();
  }

  /** The state and the journal size it was built from. */
  record Decoded(RunState state, long journalBytes) {}

  /**
   * Reads {@code state.json} with the streaming parser; names it does not know are skipped.
   *
   * @throws tools.jackson.core.JacksonException when it is not JSON
   */
  static Decoded decode(String json) {
    StateFields top = new StateFields();
    Map<String, StepState> steps = new LinkedHashMap<>();
    try (JsonParser p = Json.parser(json)) {
      expect(p.nextToken(), JsonToken.START_OBJECT);
      for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
        String name = p.currentName();
        JsonToken v = p.nextToken();
        if (name.equals("steps") && v == JsonToken.START_OBJECT) {
          for (JsonToken st = p.nextToken(); st != JsonToken.END_OBJECT; st = p.nextToken()) {
            String id = p.currentName();
            expect(p.nextToken(), JsonToken.START_OBJECT);
            steps.put(id, step(id, StateFields.read(p)));
          }
        } else {
          top.value(name, v, p);
        }
      }
    }
    RunState s =
        new RunState(
            top.text("runId", null),
            top.text("job", null),
            top.text("specFile", ""),
            RunStatus.fromLabel(top.text("status", null)),
            top.text("reason", ""),
            Instant.parse(top.text("startedAt", null)),
            top.optional("endedAt").map(Instant::parse),
            (int) top.number("resumes", 0),
            Duration.ofMillis(top.number("liveMillis", 0)),
            top.number("pid", 0),
            top.text("host", ""),
            top.optional("cost"),
            steps,
            top.map("facts"),
            top.list("warnings"));
    return new Decoded(s, top.number("journalBytes", -1));
  }

  private static StepState step(String id, StateFields o) {
    return new StepState(
        id,
        StepStatus.fromLabel(o.text("status", null)),
        (int) o.number("attempts", 0),
        o.optional("startedAt").map(Instant::parse),
        o.optional("endedAt").map(Instant::parse),
        o.map("outputs"),
        o.optional("fingerprint"),
        o.optional("class"),
        o.text("message", ""));
  }

  private static void expect(JsonToken found, JsonToken wanted) {
    if (found != wanted) {
      throw new IllegalArgumentException("state: " + wanted + " expected, found " + found);
    }
  }

  /** The plain values, string maps and string lists of one object of state.json. */
  private static final class StateFields {
    private final Map<String, String> scalars = new java.util.HashMap<>();
    private final Map<String, Map<String, String>> maps = new java.util.HashMap<>();
    private final Map<String, List<String>> lists = new java.util.HashMap<>();

    /** The rest of an object whose START_OBJECT the parser is on. */
    static StateFields read(JsonParser p) {
      StateFields f = new StateFields();
      for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
        String name = p.currentName();
        f.value(name, p.nextToken(), p);
      }
      return f;
    }

    void value(String name, JsonToken v, JsonParser p) {
      if (v == JsonToken.START_OBJECT) {
        Map<String, String> m = new LinkedHashMap<>();
        for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
          String key = p.currentName();
          if (p.nextToken().isStructStart()) {
            p.skipChildren();
          } else {
            m.put(key, p.getString());
          }
        }
        maps.put(name, m);
      } else if (v == JsonToken.START_ARRAY) {
        lists.put(name, Json.readStrings(p));
      } else if (v != JsonToken.VALUE_NULL) {
        scalars.put(name, p.getString());
      }
    }

    String text(String name, String absent) {
      String v = scalars.getOrDefault(name, absent);
      if (v == null) {
        throw new IllegalArgumentException("state: '" + name + "' is missing");
      }
      return v;
    }

    Optional<String> optional(String name) {
      return Optional.ofNullable(scalars.get(name));
    }

    long number(String name, long absent) {
      String v = scalars.get(name);
      return v == null ? absent : Long.parseLong(v);
    }

    Map<String, String> map(String name) {
      return maps.getOrDefault(name, new LinkedHashMap<>());
    }

    List<String> list(String name) {
      return lists.getOrDefault(name, new ArrayList<>());
    }
  }
}
