package dev.runctl.engine.json;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * One JSON object of plain values read by the streaming parser: strings, numbers, booleans and
 * lists of strings by name (a journal record, a note an instance script printed). Nested objects
 * and other arrays are skipped; the last of a repeated name wins.
 */
public final class FlatObject {
  private final Map<String, String> scalars = new HashMap<>();
  private final Map<String, List<String>> lists = new HashMap<>();

  private FlatObject() {}

  /**
   * Reads the object that starts at the parser's next token, and checks that nothing follows it.
   *
   * @throws IllegalArgumentException when that is not one JSON object
   * @throws tools.jackson.core.JacksonException when the text is not JSON
   */
  public static FlatObject read(JsonParser p) {
    if (p.nextToken() != JsonToken.START_OBJECT) {
      throw new IllegalArgumentException("not a JSON object");
    }
    FlatObject o = new FlatObject();
    for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
      String name = p.currentName();
      JsonToken value = p.nextToken();
      if (value == JsonToken.START_ARRAY) {
        List<String> items = new java.util.ArrayList<>();
        for (JsonToken i = p.nextToken(); i != JsonToken.END_ARRAY; i = p.nextToken()) {
          if (i.isStructStart()) {
            p.skipChildren();
          } else if (i != JsonToken.VALUE_NULL) {
            items.add(p.getString());
          }
        }
        o.lists.put(name, items);
      } else if (value == JsonToken.START_OBJECT) {
        p.skipChildren();
      } else if (value != JsonToken.VALUE_NULL) {
        o.scalars.put(name, p.getString());
      }
    }
    JsonToken after = p.nextToken();
    if (after != null) {
      throw new IllegalArgumentException("more after the object: " + after);
    }
    return o;
  }

  /** Reads {@code text}; see {@link #read(JsonParser)}. */
  public static FlatObject read(String text) {
    try (JsonParser p = Json.parser(text)) {
      return read(p);
    }
  }

  /** A value that must be there (a number or boolean as its JSON text). */
  public String text(String name) {
    String v = scalars.get(name);
    if (v == null) {
      throw new IllegalArgumentException("field '" + name + "' is missing");
    }
    return v;
  }

  /** A value that may be absent or null. */
  public Optional<String> optional(String name) {
    return Optional.ofNullable(scalars.get(name));
  }

  /** A whole number; 0 when absent, null or not a number. */
  public long number(String name) {
    String v = scalars.get(name);
    if (v == null) {
      return 0;
    }
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** A list of strings; empty when absent. */
  public List<String> strings(String name) {
    return lists.getOrDefault(name, List.of());
  }
}
