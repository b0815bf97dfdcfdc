package dev.runctl.engine.spec;

import dev.runctl.engine.spi.ConfigNode;
import dev.runctl.engine.spi.Diagnostic;
import dev.runctl.engine.spi.Diagnostics;
import dev.runctl.engine.spi.Position;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * YAML text to a {@link ConfigNode} tree with 1-based positions, using SnakeYAML Engine's low-level
 * compose. Hostile input is bounded: nesting by {@link NestingGuard} before parsing, aliases by
 * {@code maxAliasesForCollections}, size by {@code codePointLimit}, and the expanded tree by a node
 * budget (aliases share nodes that a tree copies). Duplicate keys, which compose accepts silently,
 * are reported here.
 */
final class YamlComposer {
  static final int MAX_ALIASES = 50;
  static final int MAX_NODES = 100_000;
  static final int MAX_DEPTH = 64;

  private final String display;
  private final Diagnostics diagnostics;
  private int nodes;

  YamlComposer(String display, Diagnostics diagnostics) {
    this.display = display;
    this.diagnostics = diagnostics;
  }

  /** The document's root, or empty when the text is not usable YAML (reported). */
  Optional<ConfigNode> compose(String text) {
    Optional<Diagnostic> deep = NestingGuard.check(text, display);
    if (deep.isPresent()) {
      diagnostics.add(deep.get());
      return Optional.empty();
    }
    LoadSettings settings =
        LoadSettings.builder()
            .setLabel(display)
            .setMaxAliasesForCollections(MAX_ALIASES)
            .setCodePointLimit(SpecText.MAX_BYTES)
            .setAllowRecursiveKeys(false)
            .setAllowNonScalarKeys(true)
            .build();
    try {
      Iterator<Node> docs = new Compose(settings).composeAllFromString(text).iterator();
      if (!docs.hasNext()) {
        diagnostics.error(
            new Position(display, 1, 1),
            "the spec is empty",
            "a job spec starts with version: 1, name: and steps:");
        return Optional.empty();
      }
      Node root = docs.next();
      if (docs.hasNext()) {
        Node second = docs.next();
        diagnostics.error(
            position(second.getStartMark()),
            "the spec holds more than one YAML document",
            "keep one job per file, without a second '---'");
        return Optional.empty();
      }
      return Optional.of(convert(root, 1));
    } catch (MarkedYamlEngineException e) {
      diagnostics.add(YamlProblems.diagnostic(e, this::position, new Position(display, 1, 1)));
    } catch (TooLarge e) {
      diagnostics.add(e.diagnostic);
    } catch (YamlEngineException e) {
      diagnostics.error(new Position(display, 1, 1), describe(e), hintFor(e));
    } catch (StackOverflowError e) {
      diagnostics.error(
          new Position(display, 1, 1),
          "the spec nests too deep to read",
          "a job spec needs only a few levels; check for generated or corrupted content");
    }
    return Optional.empty();
  }

  private static String describe(YamlEngineException e) {
    String m = String.valueOf(e.getMessage());
    if (m.contains("aliases")) {
      return "the spec uses more than " + MAX_ALIASES + " aliases to collections";
    }
    if (m.contains("exceeds the limit")) {
      return "the spec is larger than " + (SpecText.MAX_BYTES >> 20) + " MiB";
    }
    return "YAML error: " + m;
  }

  private static String hintFor(YamlEngineException e) {
    return String.valueOf(e.getMessage()).contains("aliases")
        ? "anchors and aliases that expand exponentially are refused; write the values out"
        : "check that this is the spec you meant";
  }

  private ConfigNode convert(Node node, int depth) {
    Position at = position(node.getStartMark());
    if (++nodes > MAX_NODES) {
      throw new TooLarge(
          Diagnostic.error(
              at,
              "the spec expands to more than " + MAX_NODES + " values",
              "anchors and aliases that multiply content are refused; write the values out"));
    }
    if (depth > MAX_DEPTH) {
      throw new TooLarge(
          Diagnostic.error(
              at,
              "the spec nests deeper than " + MAX_DEPTH + " levels",
              "a job spec needs only a few levels; check for generated or corrupted content"));
    }
    if (node instanceof ScalarNode s) {
      return new ConfigNode.Scalar(s.getValue(), kind(s.getTag()), at);
    }
    if (node instanceof SequenceNode q) {
      List<ConfigNode> items = new ArrayList<>();
      for (Node item : q.getValue()) {
        items.add(convert(item, depth + 1));
      }
      return new ConfigNode.Seq(items, at);
    }
    return mapping((MappingNode) node, at, depth);
  }

  private ConfigNode mapping(MappingNode m, Position at, int depth) {
    Map<String, ConfigNode> entries = new LinkedHashMap<>();
    Map<String, Position> keys = new LinkedHashMap<>();
    Map<String, Position> firstAt = new HashMap<>();
    for (NodeTuple t : m.getValue()) {
      Node k = t.getKeyNode();
      Position keyAt = position(k.getStartMark());
      if (!(k instanceof ScalarNode ks)) {
        diagnostics.error(keyAt, "a key must be plain text, not a list or mapping", null);
        continue;
      }
      String key = ks.getValue();
      if (firstAt.containsKey(key)) {
        diagnostics.error(
            keyAt,
            "duplicate key '" + key + "' (first at line " + firstAt.get(key).line() + ")",
            "remove one of them; YAML would silently keep only the last");
        continue;
      }
      firstAt.put(key, keyAt);
      keys.put(key, keyAt);
      entries.put(key, convert(t.getValueNode(), depth + 1));
    }
    return new ConfigNode.Mapping(entries, keys, at);
  }

  private static ConfigNode.Kind kind(Tag tag) {
    if (Tag.INT.equals(tag)) {
      return ConfigNode.Kind.INT;
    }
    if (Tag.FLOAT.equals(tag)) {
      return ConfigNode.Kind.FLOAT;
    }
    if (Tag.BOOL.equals(tag)) {
      return ConfigNode.Kind.BOOL;
    }
    if (Tag.NULL.equals(tag)) {
      return ConfigNode.Kind.NULL;
    }
    return ConfigNode.Kind.STRING;
  }

  private Position position(Optional<Mark> mark) {
    return mark.map(this::position).orElse(new Position(display, 1, 1));
  }

  private Position position(Mark m) {
    return new Position(display, m.getLine() + 1, m.getColumn() + 1);
  }

  /** Stops the conversion of a tree that grew past a bound. */
  private static final class TooLarge extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient Diagnostic diagnostic;

    TooLarge(Diagnostic diagnostic) {
      super(diagnostic.message(), null, false, false);
      this.diagnostic = diagnostic;
    }
  }
}
