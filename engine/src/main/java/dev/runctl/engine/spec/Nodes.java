package dev.runctl.engine.spec;

import dev.runctl.engine.spi.ConfigNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Lenient typed reads of a {@link ConfigNode} tree. The schema has already reported every value of
 * the wrong shape, so these answer empty for such values instead of reporting them twice.
 */
public final class Nodes {
  private Nodes() {}

  public static Optional<ConfigNode.Mapping> mapping(Optional<ConfigNode> node) {
    return node.filter(ConfigNode.Mapping.class::isInstance).map(ConfigNode.Mapping.class::cast);
  }

  public static Optional<ConfigNode.Scalar> scalar(Optional<ConfigNode> node) {
    return node.filter(n -> n instanceof ConfigNode.Scalar s && s.kind() != ConfigNode.Kind.NULL)
        .map(ConfigNode.Scalar.class::cast);
  }

  /** A scalar's text, whatever its kind (numbers and booleans as written). */
  public static Optional<String> text(Optional<ConfigNode> node) {
    return scalar(node).map(ConfigNode.Scalar::value);
  }

  /** A string scalar's text only. */
  public static Optional<String> string(Optional<ConfigNode> node) {
    return scalar(node)
        .filter(s -> s.kind() == ConfigNode.Kind.STRING)
        .map(ConfigNode.Scalar::value);
  }

  public static Optional<BigDecimal> number(Optional<ConfigNode> node) {
    return scalar(node)
        .filter(s -> s.kind() == ConfigNode.Kind.INT || s.kind() == ConfigNode.Kind.FLOAT)
        .flatMap(
            s -> {
              try {
                return Optional.of(new BigDecimal(s.value().replace("_", "")));
              } catch (NumberFormatException e) {
                return Optional.empty();
              }
            });
  }

  public static Optional<Integer> integer(Optional<ConfigNode> node) {
    return number(node)
        .filter(n -> n.stripTrailingZeros().scale() <= 0)
        .filter(n -> n.abs().compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) <= 0)
        .map(BigDecimal::intValue);
  }

  public static List<ConfigNode> items(Optional<ConfigNode> node) {
    return node.filter(ConfigNode.Seq.class::isInstance)
        .map(n -> ((ConfigNode.Seq) n).items())
        .orElse(List.of());
  }

  /** The scalar items of a list, as text; other items are left out. */
  public static List<String> strings(Optional<ConfigNode> node) {
    List<String> out = new ArrayList<>();
    for (ConfigNode item : items(node)) {
      text(Optional.of(item)).ifPresent(out::add);
    }
    return out;
  }

  /** A mapping of scalar values as text (environment blocks); other values are left out. */
  public static Map<String, String> textMap(Optional<ConfigNode> node) {
    Map<String, String> out = new LinkedHashMap<>();
    mapping(node)
        .ifPresent(
            m -> m.entries().forEach((k, v) -> text(Optional.of(v)).ifPresent(t -> out.put(k, t))));
    return out;
  }
}
