package dev.runctl.targets.aws.support;

import dev.runctl.engine.spi.ConfigNode;
import dev.runctl.engine.spi.Position;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds ConfigNode trees as the spec loader would, each node on its own line of "job.yaml". */
public final class Yaml {
  private static int line;

  private Yaml() {}

  /** {@code key, value, key, value...}; values are strings, numbers, lists or maps. */
  public static ConfigNode.Mapping map(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return (ConfigNode.Mapping) node(m);
  }

  @SuppressWarnings("unchecked")
  public static ConfigNode node(Object value) {
    Position at = new Position("job.yaml", ++line, 3);
    if (value instanceof Map<?, ?> map) {
      Map<String, ConfigNode> entries = new LinkedHashMap<>();
      Map<String, Position> keys = new LinkedHashMap<>();
      ((Map<String, Object>) map)
          .forEach(
              (k, v) -> {
                keys.put(k, new Position("job.yaml", ++line, 3));
                entries.put(k, node(v));
              });
      return new ConfigNode.Mapping(entries, keys, at);
    }
    if (value instanceof List<?> list) {
      List<ConfigNode> items = new ArrayList<>();
      list.forEach(v -> items.add(node(v)));
      return new ConfigNode.Seq(items, at);
    }
    ConfigNode.Kind kind =
        value instanceof Integer || value instanceof Long
            ? ConfigNode.Kind.INT
            : value instanceof Double ? ConfigNode.Kind.FLOAT : ConfigNode.Kind.STRING;
    return new ConfigNode.Scalar(String.valueOf(value), kind, at);
  }
}
