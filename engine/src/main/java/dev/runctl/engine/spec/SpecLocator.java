package dev.runctl.engine.spec;

import dev.runctl.engine.spi.ConfigNode;
import dev.runctl.engine.spi.Position;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Finds where things of a bound {@link JobSpec} were written, for diagnostics found after binding
 * (cycles, expressions, missing files). Built over the composed tree; over an empty tree every
 * answer falls back to the step's or the spec's own position.
 */
public final class SpecLocator {
  private final ConfigNode.Mapping root;
  private Map<String, ConfigNode.Mapping> steps;

  public SpecLocator(ConfigNode.Mapping root) {
    this.root = root;
  }

  /** A locator with no tree: positions fall back to the steps' own. */
  public static SpecLocator none(String file) {
    return new SpecLocator(ConfigNode.Mapping.empty(new Position(file, 1, 1)));
  }

  public Position root() {
    return root.position();
  }

  /** The step's mapping in the tree (the first, should ids repeat). */
  public Optional<ConfigNode.Mapping> step(String id) {
    if (steps == null) {
      // Indexed once: the checks ask about every step, and a scan each time is quadratic.
      Map<String, ConfigNode.Mapping> index = new HashMap<>();
      for (ConfigNode n : Nodes.items(root.get("steps"))) {
        Nodes.mapping(Optional.of(n))
            .ifPresent(m -> Nodes.text(m.get("id")).ifPresent(k -> index.putIfAbsent(k, m)));
      }
      steps = index;
    }
    return Optional.ofNullable(steps.get(id));
  }

  /** Where {@code step} names {@code need} in its {@code needs}, or else where the step starts. */
  public Optional<Position> need(String step, String need) {
    Optional<ConfigNode.Mapping> m = step(step);
    if (m.isEmpty()) {
      return Optional.empty();
    }
    for (ConfigNode item : Nodes.items(m.get().get("needs"))) {
      if (Nodes.text(Optional.of(item)).filter(need::equals).isPresent()) {
        return Optional.of(item.position());
      }
    }
    return Optional.of(m.get().position());
  }

  /** The job's {@code env:} mapping, or the step's when {@code step} is present. */
  public Optional<ConfigNode.Mapping> env(Optional<String> step) {
    if (step.isEmpty()) {
      return Nodes.mapping(root.get("env"));
    }
    return step(step.get()).flatMap(m -> Nodes.mapping(m.get("env")));
  }
}
