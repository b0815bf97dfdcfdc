package dev.runctl.engine.spec;

import java.util.Optional;

/**
 * Finds where things of a bound {@link JobSpec} were written, for diagnostics found after binding
 * (cycles, expressions, missing files). Built over the composed tree; over an empty tree every
 * answer falls back to the step's or the spec's own position.
 */
public final class SpecLocator {
  private final ConfigNode.Mapping root;

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

  /** The step's mapping in the tree. */
  public Optional<ConfigNode.Mapping> step(String id) {
    for (ConfigNode n : Nodes.items(root.get("steps"))) {
      Optional<ConfigNode.Mapping> m = Nodes.mapping(Optional.of(n));
      if (m.isPresent() && Nodes.text(m.get().get("id")).filter(id::equals).isPresent()) {
        return m;
      }
    }
    return Optional.empty();
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
