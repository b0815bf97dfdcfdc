package dev.runctl.engine.spi;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The one typed reader of a settings mapping ({@code with:}, {@code target:}) for step types and
 * target providers. Each problem becomes a diagnostic at the value's line and column, and the read
 * answers a neutral value, so that every problem is found in one pass. The engine has already
 * checked the mapping against the owner's {@link SettingsSchema}; these checks hold for callers
 * that configure without it (a frozen spec's target, a step type called directly).
 */
public final class SettingsReader {
  private final ConfigNode.Mapping settings;
  private final Diagnostics diagnostics;
  private final String owner;
  private final Position missingAt;

  /**
   * @param owner how messages name the mapping's owner: {@code "step 'train' (train)"}, {@code "the
   *     aws target"}
   * @param missingAt where a missing required key is reported
   */
  public SettingsReader(
      ConfigNode.Mapping settings, Diagnostics diagnostics, String owner, Position missingAt) {
    this.settings = settings;
    this.diagnostics = diagnostics;
    this.owner = owner;
    this.missingAt = missingAt;
  }

  /** A reader of a step's {@code with:}. */
  public static SettingsReader of(ConfigureContext ctx) {
    return new SettingsReader(
        ctx.with(),
        ctx.diagnostics(),
        "step '" + ctx.step().id() + "' (" + ctx.step().uses() + ")",
        ctx.step().position());
  }

  /** Reports every key not in {@code allowed}, with the closest allowed one as a hint. */
  public SettingsReader onlyKeys(Collection<String> allowed) {
    settings
        .keys()
        .forEach(
            (key, at) -> {
              if (!allowed.contains(key)) {
                diagnostics.error(
                    at,
                    owner + " has no setting '" + key + "'",
                    Suggestions.didYouMean(key, allowed)
                        .orElse(
                            "allowed: " + String.join(", ", allowed.stream().sorted().toList())));
              }
            });
    return this;
  }

  public ConfigNode.Mapping settings() {
    return settings;
  }

  public Diagnostics diagnostics() {
    return diagnostics;
  }

  /** Where {@code key}'s value is, or the key itself, or the mapping. */
  public Position position(String key) {
    return settings.get(key).map(ConfigNode::position).orElse(settings.keyPosition(key));
  }

  public void error(String key, String message, String hint) {
    diagnostics.error(position(key), message, hint);
  }

  /** Reports {@code message} at {@code key} unless {@code ok}. */
  public void check(boolean ok, String key, String message, String hint) {
    if (!ok) {
      error(key, message, hint);
    }
  }

  /** A scalar's text (numbers and booleans as written); a list or mapping is reported. */
  public Optional<String> string(String key) {
    Optional<ConfigNode> node = settings.get(key);
    if (node.isEmpty() || isNull(node.get())) {
      return Optional.empty();
    }
    if (node.get() instanceof ConfigNode.Scalar s) {
      return Optional.of(s.value());
    }
    error(key, "'" + key + "' must be a single value, not a list or mapping", null);
    return Optional.empty();
  }

  /** A non-blank scalar, or {@code ""} after reporting that {@code owner} needs it. */
  public String required(String key, String hint) {
    Optional<String> value = string(key);
    if (value.isPresent() && !value.get().isBlank()) {
      return value.get();
    }
    Optional<ConfigNode> node = settings.get(key);
    if (node.isEmpty() || node.get() instanceof ConfigNode.Scalar) {
      diagnostics.error(
          node.map(ConfigNode::position).orElse(missingAt), owner + " needs '" + key + "'", hint);
    }
    return "";
  }

  /** A scalar that must match {@code regex}. */
  public Optional<String> matching(String key, String regex, String what, String example) {
    Optional<String> v = string(key);
    v.ifPresent(
        s -> check(s.matches(regex), key, "'" + key + "': '" + s + "' is not " + what, example));
    return v.filter(s -> s.matches(regex));
  }

  /** A list of strings; a single string is accepted as a one-element list. */
  public List<String> stringList(String key) {
    Optional<ConfigNode> node = settings.get(key);
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

  /** A number; anything else is reported. */
  public Optional<BigDecimal> number(String key) {
    Optional<String> v = string(key);
    if (v.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(new BigDecimal(v.get().replace("_", "")));
    } catch (NumberFormatException e) {
      error(key, "'" + key + "' must be a number, not '" + v.get() + "'", null);
      return Optional.empty();
    }
  }

  /** A whole number from {@code min} to {@code max}. */
  public Optional<Integer> integer(String key, int min, int max) {
    Optional<String> text = string(key);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    try {
      int v = Integer.parseInt(text.get());
      if (v >= min && v <= max) {
        return Optional.of(v);
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    error(
        key,
        "'" + key + "': '" + text.get() + "' must be a whole number",
        "from " + min + " to " + max);
    return Optional.empty();
  }

  /** A duration ({@link Durations}); a value that holds an expression is left for execution. */
  public Optional<Duration> duration(String key) {
    Optional<String> v = string(key);
    if (v.isEmpty() || ConfigureContext.hasExpression(v.get())) {
      return Optional.empty();
    }
    Optional<Duration> d = Durations.parse(v.get());
    if (d.isEmpty()) {
      error(key, "'" + key + "': '" + v.get() + "' is not a duration", Durations.HINT);
    }
    return d;
  }

  public Optional<ConfigNode.Mapping> mapping(String key) {
    Optional<ConfigNode> node = settings.get(key);
    if (node.isEmpty() || isNull(node.get())) {
      return Optional.empty();
    }
    if (node.get() instanceof ConfigNode.Mapping m) {
      return Optional.of(m);
    }
    error(key, "'" + key + "' must be a mapping", null);
    return Optional.empty();
  }

  /** A mapping of keys to single values, in order ({@code tags}, {@code expect}). */
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

  private static boolean isNull(ConfigNode node) {
    return node instanceof ConfigNode.Scalar s && s.kind() == ConfigNode.Kind.NULL;
  }
}
