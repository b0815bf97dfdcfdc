package dev.runctl.engine.spec;

import dev.runctl.engine.spi.ConfigNode;
import dev.runctl.engine.spi.Diagnostics;
import dev.runctl.engine.spi.Position;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Puts {@link SpecOverride}s into a composed spec before it is checked, so that an overridden value
 * goes through the same schema and settings checks as the file's, with positions that name the
 * override ({@code --set steps.train.with.args:1:1}).
 */
final class SpecOverrides {
  private SpecOverrides() {}

  static ConfigNode.Mapping apply(
      ConfigNode.Mapping root, List<SpecOverride> overrides, Diagnostics diagnostics) {
    ConfigNode.Mapping out = root;
    for (SpecOverride o : overrides) {
      Position at = new Position(o.label(), 1, 1);
      List<String> keys = Arrays.asList(o.path().split("\\.", -1));
      if (o.path().isEmpty() || keys.contains("")) {
        diagnostics.error(
            at,
            "'" + o.path() + "' is not a path",
            "write it as dotted keys: steps.train.with.args");
        continue;
      }
      Optional<ConfigNode> value;
      if (o.kind() == SpecOverride.Kind.ENV) {
        value = Optional.of(ConfigNode.Scalar.string(o.value(), at));
      } else {
        value = new YamlComposer(o.label(), diagnostics).compose(o.value());
      }
      if (value.isEmpty()) {
        continue; // reported by the composer
      }
      Optional<ConfigNode> set = set(out, keys, 0, value.get(), at, diagnostics);
      if (set.isPresent() && set.get() instanceof ConfigNode.Mapping m) {
        out = m;
      }
    }
    return out;
  }

  private static Optional<ConfigNode> set(
      ConfigNode node,
      List<String> keys,
      int i,
      ConfigNode value,
      Position at,
      Diagnostics diagnostics) {
    if (i == keys.size()) {
      return Optional.of(value);
    }
    String key = keys.get(i);
    String where = i == 0 ? "the spec" : String.join(".", keys.subList(0, i));
    if (node instanceof ConfigNode.Scalar s && s.kind() == ConfigNode.Kind.NULL) {
      node = ConfigNode.Mapping.empty(at);
    }
    if (node instanceof ConfigNode.Mapping m) {
      ConfigNode child = m.get(key).orElse(ConfigNode.Mapping.empty(at));
      Optional<ConfigNode> replaced = set(child, keys, i + 1, value, at, diagnostics);
      if (replaced.isEmpty()) {
        return Optional.empty();
      }
      Map<String, ConfigNode> entries = new LinkedHashMap<>(m.entries());
      Map<String, Position> positions = new LinkedHashMap<>(m.keys());
      entries.put(key, replaced.get());
      positions.putIfAbsent(key, at);
      return Optional.of(new ConfigNode.Mapping(entries, positions, m.position()));
    }
    if (node instanceof ConfigNode.Seq seq) {
      int index = indexOf(seq, key);
      if (index < 0) {
        diagnostics.error(
            at,
            where + " has no item '" + key + "'",
            "name a step by its id (steps.train) or an item by its index from 0");
        return Optional.empty();
      }
      Optional<ConfigNode> replaced =
          set(seq.items().get(index), keys, i + 1, value, at, diagnostics);
      if (replaced.isEmpty()) {
        return Optional.empty();
      }
      List<ConfigNode> items = new java.util.ArrayList<>(seq.items());
      items.set(index, replaced.get());
      return Optional.of(new ConfigNode.Seq(items, seq.position()));
    }
    diagnostics.error(
        at,
        where + " is a single value, so it has no '" + key + "'",
        "set " + where + " itself, or check the path");
    return Optional.empty();
  }

  /** The item with {@code id: key}, else the item at index {@code key}; -1 when none. */
  private static int indexOf(ConfigNode.Seq seq, String key) {
    for (int j = 0; j < seq.items().size(); j++) {
      if (seq.items().get(j) instanceof ConfigNode.Mapping m
          && m.text("id").filter(key::equals).isPresent()) {
        return j;
      }
    }
    if (key.matches("0|[1-9][0-9]{0,6}") && Integer.parseInt(key) < seq.items().size()) {
      return Integer.parseInt(key);
    }
    return -1;
  }
}
