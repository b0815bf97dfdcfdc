package dev.runctl.engine.state;

import java.util.List;

/**
 * One flat JSON object on one line, written by hand for the journal's records, as jackson-core's
 * generator writes it (JournalTest compares the two on every ASCII character). A run writes three
 * records per step, and a fresh JVM runs this code interpreted at first, where a generator's layers
 * of contexts, buffers and escape tables cost more than a loop over the characters: bench/journal-
 * json.sh measured 100 ms of CPU for the 3,000 records of a 1,000-step run through the generator,
 * 40 ms through this. Values are escaped as JSON requires: quote, backslash and control characters,
 * the latter as their short escapes or as four-digit hexadecimal escapes; everything else is
 * written as is (UTF-8 on disk). Names are the codec's own constants, written as given.
 */
final class JsonLine {
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();
  private final StringBuilder b = new StringBuilder(160).append('{');

  JsonLine string(String name, String value) {
    name(name);
    quote(value);
    return this;
  }

  JsonLine number(String name, long value) {
    name(name);
    b.append(value);
    return this;
  }

  JsonLine strings(String name, List<String> values) {
    name(name);
    b.append('[');
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) {
        b.append(',');
      }
      quote(values.get(i));
    }
    b.append(']');
    return this;
  }

  /** The object, closed. */
  String end() {
    return b.append('}').toString();
  }

  private void name(String name) {
    if (b.length() > 1) {
      b.append(',');
    }
    b.append('"').append(name).append("\":");
  }

  private void quote(String s) {
    b.append('"');
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c >= 0x20 && c != '"' && c != '\\') {
        b.append(c);
        continue;
      }
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        case '\b' -> b.append("\\b");
        case '\f' -> b.append("\\f");
        default -> b.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xf]);
      }
    }
    b.append('"');
  }
}
