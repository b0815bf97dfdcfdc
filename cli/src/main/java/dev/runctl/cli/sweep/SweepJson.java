package dev.runctl.cli.sweep;

import dev.runctl.engine.json.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/** {@code sweep.json} and {@code matrix.json}, through the one JSON writer and reader. */
final class SweepJson {
  private SweepJson() {}

  static String record(SweepRecord r) {
    return Json.pretty(
        g -> {
          g.writeStartObject();
          g.writeStringProperty("sweepId", r.sweepId());
          g.writeStringProperty("job", r.job());
          g.writeStringProperty("specFile", r.specFile());
          g.writeStringProperty("createdAt", r.createdAt());
          g.writeNumberProperty("maxParallel", r.maxParallel());
          g.writeBooleanProperty("failFast", r.failFast());
          g.writeName("children");
          g.writeStartArray();
          for (SweepRecord.Child c : r.children()) {
            g.writeStartObject();
            g.writeNumberProperty("index", c.index());
            g.writeStringProperty("runId", c.runId());
            combination(g, c.combination());
            g.writeEndObject();
          }
          g.writeEndArray();
          g.writeEndObject();
        });
  }

  static String mark(SweepMark m) {
    return Json.line(
        g -> {
          g.writeStartObject();
          g.writeStringProperty("sweepId", m.sweepId());
          g.writeNumberProperty("index", m.index());
          g.writeNumberProperty("children", m.children());
          combination(g, m.combination());
          g.writeEndObject();
        });
  }

  private static void combination(JsonGenerator g, Map<String, String> combination) {
    g.writeName("combination");
    g.writeStartObject();
    combination.forEach(g::writeStringProperty);
    g.writeEndObject();
  }

  /** The fields of one object, as text, with {@code children} and {@code combination} read. */
  private record Fields(
      Map<String, String> scalars, Map<String, String> combination, List<Fields> children) {
    String text(String name) {
      String v = scalars.get(name);
      if (v == null) {
        throw new IllegalArgumentException("field '" + name + "' is missing");
      }
      return v;
    }

    int number(String name) {
      return Integer.parseInt(text(name));
    }
  }

  static SweepRecord readRecord(String text) {
    Fields f = read(text);
    List<SweepRecord.Child> children = new ArrayList<>();
    for (Fields c : f.children()) {
      children.add(new SweepRecord.Child(c.number("index"), c.text("runId"), c.combination()));
    }
    return new SweepRecord(
        f.text("sweepId"),
        f.text("job"),
        f.text("specFile"),
        f.text("createdAt"),
        f.number("maxParallel"),
        Boolean.parseBoolean(f.text("failFast")),
        children);
  }

  static SweepMark readMark(String text) {
    Fields f = read(text);
    return new SweepMark(
        f.text("sweepId"), f.number("index"), f.number("children"), f.combination());
  }

  private static Fields read(String text) {
    try (JsonParser p = Json.parser(text)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new IllegalArgumentException("not a JSON object");
      }
      return object(p);
    }
  }

  /** The object whose START_OBJECT the parser is on; leaves it on the END_OBJECT. */
  private static Fields object(JsonParser p) {
    Map<String, String> scalars = new LinkedHashMap<>();
    Map<String, String> combination = new LinkedHashMap<>();
    List<Fields> children = new ArrayList<>();
    for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
      String name = p.currentName();
      JsonToken v = p.nextToken();
      if (name.equals("combination") && v == JsonToken.START_OBJECT) {
        for (JsonToken k = p.nextToken(); k != JsonToken.END_OBJECT; k = p.nextToken()) {
          String key = p.currentName();
          p.nextToken();
          combination.put(key, p.getString());
        }
      } else if (name.equals("children") && v == JsonToken.START_ARRAY) {
        for (JsonToken i = p.nextToken(); i != JsonToken.END_ARRAY; i = p.nextToken()) {
          if (i != JsonToken.START_OBJECT) {
            throw new IllegalArgumentException("a child must be an object, not " + i);
          }
          children.add(object(p));
        }
      } else if (v.isStructStart()) {
        p.skipChildren();
      } else if (v != JsonToken.VALUE_NULL) {
        scalars.put(name, p.getString());
      }
    }
    return new Fields(scalars, combination, children);
  }
}
