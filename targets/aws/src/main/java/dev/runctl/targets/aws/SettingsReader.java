package dev.runctl.targets.aws;

import dev.runctl.engine.spec.ConfigNode;
import dev.runctl.engine.spec.ConfigNode.Mapping;
import dev.runctl.engine.spec.ConfigNode.Scalar;
import dev.runctl.engine.spec.ConfigNode.Seq;
import dev.runctl.engine.spec.Diagnostics;
import dev.runctl.engine.spec.Position;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Typed reads of a settings mapping; each problem becomes a diagnostic at the value's position. */
final class SettingsReader {
  private static final Pattern DURATION = Pattern.compile("(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?");
  private final Diagnostics d;

  SettingsReader(Diagnostics diagnostics) {
    this.d = diagnostics;
  }

  Optional<Duration> duration(Mapping m, String key) {
    Optional<String> text = string(m, key);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    Matcher mt = DURATION.matcher(text.get());
    if (text.get().isEmpty() || !mt.matches()) {
      d.error(at(m, key), key + " '" + text.get() + "' is not a duration", "e.g. 90s, 10m, 1h");
      return Optional.empty();
    }
    long s = 0;
    s += mt.group(1) == null ? 0 : Long.parseLong(mt.group(1)) * 3600;
    s += mt.group(2) == null ? 0 : Long.parseLong(mt.group(2)) * 60;
    s += mt.group(3) == null ? 0 : Long.parseLong(mt.group(3));
    return Optional.of(Duration.ofSeconds(s));
  }

  Optional<Integer> integer(Mapping m, String key, int min, int max) {
    Optional<String> text = string(m, key);
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
    d.error(at(m, key), key + " '" + text.get() + "' must be a whole number", min + " to " + max);
    return Optional.empty();
  }

  Optional<String> pattern(Mapping m, String key, String regex, String example) {
    Optional<String> v = string(m, key);
    v.ifPresent(
        s ->
            check(
                s.matches(regex),
                at(m, key),
                key + " '" + s + "' does not look like an id",
                "e.g. " + example));
    return v;
  }

  List<String> strings(Mapping m, String key, String regex, String example) {
    List<String> out = new ArrayList<>();
    Optional<ConfigNode> node = m.get(key);
    if (node.isEmpty()) {
      return out;
    }
    List<ConfigNode> items = node.get() instanceof Seq seq ? seq.items() : List.of(node.get());
    for (ConfigNode item : items) {
      if (item instanceof Scalar s && s.value().matches(regex)) {
        out.add(s.value());
      } else {
        d.error(item.position(), key + " must list ids", "e.g. [" + example + "]");
      }
    }
    return out;
  }

  String required(Mapping m, String key, String hint) {
    Optional<String> v = string(m, key);
    if (v.isEmpty() && m.get(key).isEmpty()) {
      d.error(m.position(), "the aws target needs '" + key + "'", hint);
    }
    return v.orElse(null);
  }

  Optional<String> string(Mapping m, String key) {
    Optional<ConfigNode> node = m.get(key);
    if (node.isEmpty() || node.get() instanceof Scalar s && s.kind() == ConfigNode.Kind.NULL) {
      return Optional.empty();
    }
    if (node.get() instanceof Scalar s) {
      return Optional.of(s.value());
    }
    d.error(node.get().position(), key + " must be a single value", null);
    return Optional.empty();
  }

  void check(boolean ok, Position at, String message, String hint) {
    if (!ok) {
      d.error(at, message, hint);
    }
  }

  static Position at(Mapping m, String key) {
    return m.get(key).map(ConfigNode::position).orElse(m.position());
  }
}
