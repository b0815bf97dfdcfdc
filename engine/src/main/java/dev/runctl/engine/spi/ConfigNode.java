package dev.runctl.engine.spi;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A YAML value with the position it came from. Step types and targets receive their own settings
 * ({@code with:}, {@code target:}) as a tree of these and turn them into their own records, so that
 * the engine needs to know no step type and no provider, and every diagnostic can name a line and
 * column.
 */
public sealed interface ConfigNode permits ConfigNode.Scalar, ConfigNode.Seq, ConfigNode.Mapping {

  Position position();

  /** Kinds of scalar, as the YAML core schema resolves them. */
  enum Kind {
    STRING,
    INT,
    FLOAT,
    BOOL,
    NULL
  }

  record Scalar(String value, Kind kind, Position position) implements ConfigNode {
    public static Scalar string(String value, Position at) {
      return new Scalar(value, Kind.STRING, at);
    }
  }

  record Seq(List<ConfigNode> items, Position position) implements ConfigNode {
    public Seq {
      items = List.copyOf(items);
    }
  }

  /** An ordered mapping; {@code keys} holds the position of each key, for unknown-key messages. */
  record Mapping(Map<String, ConfigNode> entries, Map<String, Position> keys, Position position)
      implements ConfigNode {
    public Mapping {
      entries = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(entries));
      keys = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(keys));
    }

    public static Mapping empty(Position at) {
      return new Mapping(Map.of(), Map.of(), at);
    }

    public Optional<ConfigNode> get(String key) {
      return Optional.ofNullable(entries.get(key));
    }

    /** The scalar text at {@code key}, when it is a scalar. */
    public Optional<String> text(String key) {
      return get(key)
          .filter(n -> n instanceof Scalar s && s.kind() != Kind.NULL)
          .map(n -> ((Scalar) n).value());
    }

    public Position keyPosition(String key) {
      return keys.getOrDefault(key, position);
    }
  }
}
