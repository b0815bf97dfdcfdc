package dev.runctl.cli;

import dev.runctl.engine.json.Json;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.math.BigDecimal;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.core.JsonGenerator;

/**
 * A {@link CliEvent} as one line of JSON, written by the one generator ({@link Json}): {@code
 * "type"} first, then the record's components by name in their order, those that are null or an
 * empty Optional left out. Values: strings, numbers, booleans, lists, string-keyed maps, Optional,
 * nested records (as objects, their nulls kept), {@link Fields} (written into the enclosing object)
 * and {@link RawJson} (copied as it is). Anything else is a programming error and says so.
 */
final class EventJson {
  /** A component shown in text only (a layout hint), never in JSON. */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.RECORD_COMPONENT)
  @interface TextOnly {}

  /** A value that writes its own fields into the object that holds it. */
  interface Fields {
    void writeFields(JsonGenerator g);
  }

  /** A JSON document carried as text and written as the value it is. */
  record RawJson(String text) {}

  /** The components to write, per record class, with their accessors made callable once. */
  private static final Map<Class<?>, Part[]> COMPONENTS = new ConcurrentHashMap<>();

  /** A record component: its name and its accessor, made callable (records are package-private). */
  private record Part(String name, Method accessor) {}

  private EventJson() {}

  static String line(CliEvent event) {
    return Json.line(
        g -> {
          g.writeStartObject();
          g.writeStringProperty("type", event.type());
          for (Part c : components(event.getClass())) {
            Object v = value(c, event);
            if (v instanceof Optional<?> o) {
              v = o.orElse(null);
            }
            if (v instanceof Fields f) {
              f.writeFields(g);
            } else if (v != null && !c.name().equals("type")) {
              g.writeName(c.name());
              write(g, v);
            }
          }
          g.writeEndObject();
        });
  }

  private static void write(JsonGenerator g, Object v) {
    if (v == null) {
      g.writeNull();
    } else if (v instanceof String s) {
      g.writeString(s);
    } else if (v instanceof Boolean b) {
      g.writeBoolean(b);
    } else if (v instanceof Integer || v instanceof Long || v instanceof Short) {
      g.writeNumber(((Number) v).longValue());
    } else if (v instanceof Double d) {
      g.writeNumber(d);
    } else if (v instanceof Float f) {
      g.writeNumber(f);
    } else if (v instanceof BigDecimal d) {
      g.writeNumber(d);
    } else if (v instanceof Optional<?> o) {
      write(g, o.orElse(null));
    } else if (v instanceof Collection<?> items) {
      g.writeStartArray();
      for (Object item : items) {
        write(g, item);
      }
      g.writeEndArray();
    } else if (v instanceof Map<?, ?> m) {
      g.writeStartObject();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        g.writeName((String) e.getKey());
        write(g, e.getValue());
      }
      g.writeEndObject();
    } else if (v instanceof RawJson raw) {
      Json.copy(raw.text(), g);
    } else if (v instanceof Record r) {
      g.writeStartObject();
      for (Part c : components(r.getClass())) {
        Object value = value(c, r);
        if (value instanceof Fields f) {
          f.writeFields(g);
        } else {
          g.writeName(c.name());
          write(g, value);
        }
      }
      g.writeEndObject();
    } else {
      throw new IllegalArgumentException(
          "no JSON form for " + v.getClass().getName() + " in an event; add one to EventJson");
    }
  }

  private static Part[] components(Class<?> type) {
    return COMPONENTS.computeIfAbsent(
        type,
        t -> {
          if (!t.isRecord()) {
            throw new IllegalArgumentException(t.getName() + " is not a record");
          }
          return java.util.Arrays.stream(t.getRecordComponents())
              .filter(c -> !c.isAnnotationPresent(TextOnly.class))
              .map(
                  c -> {
                    Method m = c.getAccessor();
                    m.setAccessible(true);
                    return new Part(c.getName(), m);
                  })
              .toArray(Part[]::new);
        });
  }

  private static Object value(Part c, Object owner) {
    try {
      return c.accessor().invoke(owner);
    } catch (IllegalAccessException | InvocationTargetException e) {
      throw new IllegalStateException("cannot read " + c.name() + " of " + owner.getClass(), e);
    }
  }
}
