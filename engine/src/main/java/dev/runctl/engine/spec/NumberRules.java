package dev.runctl.engine.spec;

import dev.runctl.engine.spi.ConfigNode;
import dev.runctl.engine.spi.Diagnostics;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;

/**
 * Numeric ranges of the spec, checked here rather than with the schema's {@code minimum} and {@code
 * maximum}: the validator formats every number it compares through a Jackson mapper, and building
 * one costs more start-up time than the rest of a plan. The schema's descriptions state the same
 * ranges for editors. The bounds of a target's or step type's settings come from its declared
 * schema ({@link Bound}); the core's own are listed here.
 */
final class NumberRules {
  private record Rule(List<String> path, BigDecimal min, boolean exclusive, BigDecimal max) {}

  /**
   * A bound on {@code key} of the settings of provider or step type {@code owner}, as its schema
   * declares it ({@code min} null when there is none).
   */
  record Bound(
      SchemaComposer.Kind kind,
      String owner,
      boolean byDefault,
      String key,
      BigDecimal min,
      boolean exclusive,
      BigDecimal max) {}

  private static final BigDecimal ZERO = BigDecimal.ZERO;
  private static final BigDecimal ONE = BigDecimal.ONE;
  private static final List<Rule> RULES =
      List.of(
          new Rule(List.of("budget", "max_cost"), ZERO, true, null),
          new Rule(List.of("max_parallel"), ONE, false, null),
          new Rule(
              List.of("defaults", "retry", "max_attempts"), ONE, false, BigDecimal.valueOf(100)),
          new Rule(List.of("defaults", "retry", "backoff_coefficient"), ONE, false, null),
          new Rule(
              List.of("steps", "*", "retry", "max_attempts"), ONE, false, BigDecimal.valueOf(100)),
          new Rule(List.of("steps", "*", "retry", "backoff_coefficient"), ONE, false, null));

  private NumberRules() {}

  static void check(ConfigNode.Mapping root, List<Bound> bounds, Diagnostics diagnostics) {
    Optional<ConfigNode.Scalar> version = Nodes.scalar(root.get("version"));
    if (version.isPresent()
        && version.get().kind() == ConfigNode.Kind.INT
        && !version.get().value().equals("1")) {
      diagnostics.error(
          version.get().position(),
          "'version' must be 1, not " + version.get().value(),
          "this runctl reads spec version 1");
    }
    for (Rule rule : RULES) {
      walk(root, rule, 0, diagnostics);
    }
    for (Bound b : bounds) {
      Rule rule = new Rule(List.of(b.key()), b.min(), b.exclusive(), b.max());
      for (ConfigNode.Mapping settings : settingsOf(root, b)) {
        settings
            .get(b.key())
            .ifPresent(
                v ->
                    Nodes.number(Optional.of(v))
                        .ifPresent(n -> check(n, v, b.key(), rule, diagnostics)));
      }
    }
  }

  /** The {@code target:} or {@code with:} mappings that {@code b}'s owner reads. */
  private static List<ConfigNode.Mapping> settingsOf(ConfigNode.Mapping root, Bound b) {
    if (b.kind() == SchemaComposer.Kind.SECRET || b.kind() == SchemaComposer.Kind.STATE) {
      return List.of();
    }
    if (b.kind() == SchemaComposer.Kind.TARGET) {
      return Nodes.mapping(root.get("target"))
          .filter(t -> Nodes.text(t.get("provider")).map(b.owner()::equals).orElse(b.byDefault()))
          .stream()
          .toList();
    }
    return Nodes.items(root.get("steps")).stream()
        .flatMap(n -> Nodes.mapping(Optional.of(n)).stream())
        .filter(step -> Nodes.text(step.get("uses")).filter(b.owner()::equals).isPresent())
        .flatMap(step -> Nodes.mapping(step.get("with")).stream())
        .toList();
  }

  private static void walk(ConfigNode node, Rule rule, int depth, Diagnostics diagnostics) {
    String part = rule.path().get(depth);
    List<ConfigNode> next =
        part.equals("*")
            ? Nodes.items(Optional.of(node))
            : Nodes.mapping(Optional.of(node)).flatMap(m -> m.get(part)).stream().toList();
    for (ConfigNode child : next) {
      if (depth + 1 < rule.path().size()) {
        walk(child, rule, depth + 1, diagnostics);
      } else {
        Nodes.number(Optional.of(child)).ifPresent(n -> check(n, child, part, rule, diagnostics));
      }
    }
  }

  private static void check(BigDecimal n, ConfigNode at, String key, Rule rule, Diagnostics d) {
    int vsMin = rule.min() == null ? 1 : n.compareTo(rule.min());
    if (rule.exclusive() && vsMin <= 0) {
      d.error(at.position(), "'" + key + "' must be greater than " + rule.min(), null);
    } else if (!rule.exclusive() && vsMin < 0) {
      d.error(at.position(), "'" + key + "' must be at least " + rule.min(), null);
    } else if (rule.max() != null && n.compareTo(rule.max()) > 0) {
      d.error(at.position(), "'" + key + "' must be at most " + rule.max(), null);
    }
  }
}
