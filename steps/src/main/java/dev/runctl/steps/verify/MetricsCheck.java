package dev.runctl.steps.verify;

import dev.runctl.engine.json.Json;
import dev.runctl.engine.spi.Machine;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.exc.StreamReadException;

/** Reads a JSON metrics file on the machine and checks numbers against expectations. */
final class MetricsCheck {
  private static final long MAX_BYTES = 16L << 20;

  private MetricsCheck() {}

  /**
   * Adds a line to {@code problems} for each expectation that does not hold; found values to {@code
   * found}.
   */
  static void check(
      Machine machine,
      String file,
      List<Expectation> expect,
      List<String> problems,
      Map<String, String> found)
      throws InterruptedException {
    Optional<byte[]> bytes = machine.read(file, MAX_BYTES);
    if (bytes.isEmpty()) {
      problems.add(
          "metrics file " + file + " does not exist (looked in " + machine.workdir() + ")");
      return;
    }
    Map<String, Leaf> values;
    try {
      values = leaves(new String(bytes.get(), StandardCharsets.UTF_8), expect);
    } catch (JacksonException e) {
      problems.add("metrics file " + file + " is not valid JSON: " + e.getOriginalMessage());
      return;
    }
    for (Expectation e : expect) {
      Leaf leaf = values.get(e.key());
      if (leaf == null || leaf.token() == JsonToken.VALUE_NULL) {
        problems.add(e.key() + ": expected " + e.text() + ", found no such key in " + file);
      } else if (!leaf.token().isNumeric()) {
        problems.add(
            e.key() + ": expected " + e.text() + ", found " + leaf.json() + " (not a number)");
      } else {
        BigDecimal value = new BigDecimal(leaf.json());
        found.put(e.key(), value.toPlainString());
        if (!e.holds(value)) {
          problems.add(e.key() + ": expected " + e.text() + ", found " + value.toPlainString());
        }
      }
    }
  }

  /** A value found at an expected key: its first token and its JSON text. */
  private record Leaf(JsonToken token, String json) {}

  /**
   * The values at the expectations' dotted keys (a.b.c: key c of object b of object a), read in one
   * pass of the streaming parser that skips every part no key goes into.
   */
  private static Map<String, Leaf> leaves(String json, List<Expectation> expect) {
    Set<String> keys = new HashSet<>();
    Set<String> prefixes = new HashSet<>();
    for (Expectation e : expect) {
      keys.add(e.key());
      for (int dot = e.key().indexOf('.'); dot > 0; dot = e.key().indexOf('.', dot + 1)) {
        prefixes.add(e.key().substring(0, dot));
      }
    }
    Map<String, Leaf> out = new HashMap<>();
    try (JsonParser p = Json.parser(json)) {
      if (p.nextToken() == JsonToken.START_OBJECT) {
        object(p, "", keys, prefixes, out);
      } else {
        p.skipChildren();
      }
      if (p.nextToken() != null) {
        throw new StreamReadException(p, "more after the metrics object");
      }
    }
    return out;
  }

  private static void object(
      JsonParser p, String at, Set<String> keys, Set<String> prefixes, Map<String, Leaf> out) {
    for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
      String path = at + p.currentName();
      JsonToken v = p.nextToken();
      if (keys.contains(path)) {
        out.put(path, new Leaf(v, Json.line(g -> g.copyCurrentStructure(p))));
      } else if (v == JsonToken.START_OBJECT && prefixes.contains(path)) {
        object(p, path + ".", keys, prefixes, out);
      } else {
        p.skipChildren();
      }
    }
  }

  /** Checks the last values the run's trainings reported through {@code $RUNCTL_METRICS}. */
  static void checkReported(
      java.nio.file.Path runDir,
      List<Expectation> expect,
      List<String> problems,
      Map<String, String> found) {
    Map<String, Double> latest = new java.util.TreeMap<>();
    dev.runctl.engine.metrics.Metrics.read(runDir)
        .values()
        .forEach(points -> latest.putAll(dev.runctl.engine.metrics.Metrics.latest(points)));
    for (Expectation e : expect) {
      Double v = latest.get(e.key());
      if (v == null) {
        problems.add(
            e.key()
                + ": expected "
                + e.text()
                + ", found no such metric among those reported through $RUNCTL_METRICS "
                + (latest.isEmpty() ? "(none was reported)" : latest.keySet().toString()));
        continue;
      }
      BigDecimal value = new BigDecimal(Double.toString(v));
      found.put(e.key(), value.toPlainString());
      if (!e.holds(value)) {
        problems.add(e.key() + ": expected " + e.text() + ", found " + value.toPlainString());
      }
    }
  }
}
