package dev.runctl.engine.spec;

import dev.runctl.engine.spi.ConfigNode;
import dev.runctl.engine.spi.Diagnostics;
import dev.runctl.engine.spi.Position;
import dev.runctl.engine.spi.Suggestions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code matrix:}, {@code max_parallel} and {@code fail_fast} to a {@link MatrixSpec}, with the
 * checks the schema cannot make: an {@code exclude} key the matrix does not have, a repeated value,
 * a matrix that makes no combination, and the sweep keys without a matrix.
 */
final class MatrixBinder {
  private final Diagnostics diagnostics;

  MatrixBinder(Diagnostics diagnostics) {
    this.diagnostics = diagnostics;
  }

  Optional<MatrixSpec> bind(ConfigNode.Mapping root) {
    Optional<ConfigNode.Mapping> node = Nodes.mapping(root.get("matrix"));
    if (node.isEmpty()) {
      for (String key : List.of("max_parallel", "fail_fast")) {
        if (root.get(key).isPresent()) {
          diagnostics.error(
              root.keyPosition(key),
              "'" + key + "' applies to a sweep, and this spec has no matrix:",
              "add matrix: {lr: [0.001, 0.0003]} at the top, or remove '" + key + "'");
        }
      }
      return Optional.empty();
    }
    ConfigNode.Mapping matrix = node.get();
    Map<String, List<String>> axes = new LinkedHashMap<>();
    matrix
        .entries()
        .forEach(
            (k, v) -> {
              if (!k.equals("include") && !k.equals("exclude")) {
                axes.put(k, values(k, v));
              }
            });
    List<Map<String, String>> include = entries(matrix.get("include"));
    List<Map<String, String>> exclude = entries(matrix.get("exclude"));
    for (ConfigNode item : Nodes.items(matrix.get("exclude"))) {
      Nodes.mapping(Optional.of(item))
          .ifPresent(
              e ->
                  e.entries().keySet().stream()
                      .filter(k -> !axes.containsKey(k))
                      .forEach(
                          k ->
                              diagnostics.error(
                                  e.keyPosition(k),
                                  "exclude names '" + k + "', which is not a key of the matrix",
                                  Suggestions.didYouMean(k, axes.keySet())
                                      .orElse(
                                          "the matrix's keys: "
                                              + String.join(", ", axes.keySet())))));
    }
    int maxParallel =
        Nodes.integer(root.get("max_parallel")).orElse(MatrixSpec.DEFAULT_MAX_PARALLEL);
    boolean failFast =
        Nodes.scalar(root.get("fail_fast")).map(s -> s.value().equals("true")).orElse(false);
    Position at = root.keyPosition("matrix");
    MatrixSpec spec =
        new MatrixSpec(axes, include, exclude, Math.max(1, maxParallel), failFast, at);
    if (!diagnostics.hasErrors() && spec.combinations().isEmpty()) {
      diagnostics.error(
          at,
          "the matrix makes no combination: exclude removes every one",
          "remove an exclude entry, or add a value");
    }
    return Optional.of(spec);
  }

  private List<String> values(String key, ConfigNode node) {
    List<String> out = new ArrayList<>();
    for (ConfigNode item : Nodes.items(Optional.of(node))) {
      Optional<ConfigNode.Scalar> s = Nodes.scalar(Optional.of(item));
      if (s.isEmpty()) {
        continue; // the schema said so
      }
      if (out.contains(s.get().value())) {
        diagnostics.error(
            s.get().position(),
            "matrix value " + key + "=" + s.get().value() + " is listed twice",
            "list each value once: two runs of the same combination would share a name");
      } else {
        out.add(s.get().value());
      }
    }
    return out;
  }

  private static List<Map<String, String>> entries(Optional<ConfigNode> list) {
    List<Map<String, String>> out = new ArrayList<>();
    for (ConfigNode item : Nodes.items(list)) {
      Map<String, String> entry = Nodes.textMap(Optional.of(item));
      if (!entry.isEmpty()) {
        out.add(entry);
      }
    }
    return out;
  }
}
