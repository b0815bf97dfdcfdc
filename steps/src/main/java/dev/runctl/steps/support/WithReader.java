package dev.runctl.steps.support;

import dev.runctl.engine.spec.ConfigNode;
import dev.runctl.engine.spec.Diagnostics;
import dev.runctl.engine.spec.Durations;
import dev.runctl.engine.spec.Position;
import dev.runctl.engine.spec.Suggestions;
import dev.runctl.engine.spi.ConfigureContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a step's {@code with:} mapping into typed values, reporting each problem with its position
 * to the configure context's diagnostics (and returning a neutral value so that every problem is
 * found in one pass).
 */
public final class WithReader {
  private final ConfigureContext ctx;
  private final ConfigNode.Mapping with;
  private final Diagnostics diagnostics;

  public WithReader(ConfigureContext ctx, Set<String> allowedKeys) {
    this.ctx = ctx;
    this.with = ctx.with();
    this.diagnostics = ctx.diagnostics();
    with.keys()
        .forEach(
            (key, at) -> {
              if (!allowedKeys.contains(key)) {
                String hint =
                    Suggestions.closest(key, allowedKeys)
                        .map(s -> "did you mean '" + s + "'?")
                        .orElse(
                            "allowed: "
                                + String.join(", ", allowedKeys.stream().sorted().toList()));
                diagnostics.error(
                    at,
                    "step '"
                        + ctx.step().id()
                        + "' ("
                        + ctx.step().uses()
                        + ") has no setting '"
                        + key
                        + "'",
                    hint);
              }
            });
  }

  public boolean planning() {
    return ctx.planning();
  }

  public Position position(String key) {
    return with.get(key).map(ConfigNode::position).orElse(with.keyPosition(key));
  }

  public Optional<String> string(String key) {
    Optional<ConfigNode> node = with.get(key);
    if (node.isEmpty() || isNull(node.get())) {
      return Optional.empty();
    }
    if (node.get() instanceof ConfigNode.Scalar s) {
      return Optional.of(s.value());
    }
    error(key, "'" + key + "' must be a single value, not a list or mapping", null);
    return Optional.empty();
  }

  public String requiredString(String key, String example) {
    Optional<String> value = string(key);
    if (value.isPresent() && !value.get().isBlank()) {
      return value.get();
    }
    Optional<ConfigNode> node = with.get(key);
    boolean reportedAlready = node.isPresent() && !(node.get() instanceof ConfigNode.Scalar);
    if (!reportedAlready) {
      diagnostics.error(
          node.map(ConfigNode::position).orElse(ctx.step().position()),
          "step '" + ctx.step().id() + "' needs '" + key + "'",
          "add it under with:, e.g. " + key + ": " + example);
    }
    return "";
  }

  /** A list of strings; a single string is accepted as a one-element list. */
  public List<String> stringList(String key) {
    Optional<ConfigNode> node = with.get(key);
    if (node.isEmpty() || isNull(node.get())) {
      return List.of();
    }
    if (node.get() instanceof ConfigNode.Scalar s) {
      return List.of(s.value());
    }
    if (node.get() instanceof ConfigNode.Seq seq) {
      List<String> out = new ArrayList<>();
      for (ConfigNode item : seq.items()) {
        if (item instanceof ConfigNode.Scalar s && s.kind() != ConfigNode.Kind.NULL) {
          out.add(s.value());
        } else {
          diagnostics.error(
              item.position(),
              "each item of '" + key + "' must be a single value",
              "quote it: \"...\"");
        }
      }
      return List.copyOf(out);
    }
    error(key, "'" + key + "' must be a list, e.g. [\"a\", \"b\"]", null);
    return List.of();
  }

  public boolean bool(String key, boolean defaultValue) {
    Optional<String> v = string(key);
    if (v.isEmpty()) {
      return defaultValue;
    }
    if (v.get().equals("true") || v.get().equals("false")) {
      return Boolean.parseBoolean(v.get());
    }
    error(key, "'" + key + "' must be true or false, found '" + v.get() + "'", null);
    return defaultValue;
  }

  public Optional<Duration> duration(String key) {
    Optional<String> v = string(key);
    if (v.isEmpty() || ConfigureContext.hasExpression(v.get())) {
      return Optional.empty();
    }
    Optional<Duration> d = Durations.parse(v.get());
    if (d.isEmpty()) {
      error(
          key,
          "'" + key + "' is not a duration: '" + v.get() + "'",
          "write e.g. 45s, 10m, 2h or 1h30m");
    }
    return d;
  }

  /** A mapping of string keys to single values, in order. */
  public Map<String, String> stringMap(ConfigNode.Mapping mapping, String key) {
    Map<String, String> out = new LinkedHashMap<>();
    mapping
        .entries()
        .forEach(
            (k, v) -> {
              if (v instanceof ConfigNode.Scalar s && s.kind() != ConfigNode.Kind.NULL) {
                out.put(k, s.value());
              } else {
                diagnostics.error(
                    v.position(), "'" + key + "." + k + "' must be a single value", null);
              }
            });
    return out;
  }

  public Optional<ConfigNode.Mapping> mapping(String key) {
    Optional<ConfigNode> node = with.get(key);
    if (node.isEmpty() || isNull(node.get())) {
      return Optional.empty();
    }
    if (node.get() instanceof ConfigNode.Mapping m) {
      return Optional.of(m);
    }
    error(key, "'" + key + "' must be a mapping", null);
    return Optional.empty();
  }

  public void error(String key, String message, String hint) {
    diagnostics.error(position(key), message, hint);
  }

  public Diagnostics diagnostics() {
    return diagnostics;
  }

  private static boolean isNull(ConfigNode node) {
    return node instanceof ConfigNode.Scalar s && s.kind() == ConfigNode.Kind.NULL;
  }
}
