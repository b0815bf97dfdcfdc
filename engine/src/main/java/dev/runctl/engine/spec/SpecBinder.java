package dev.runctl.engine.spec;

import dev.runctl.engine.registry.Registry;
import dev.runctl.engine.spi.ConfigNode;
import dev.runctl.engine.spi.Diagnostics;
import dev.runctl.engine.spi.Durations;
import dev.runctl.engine.spi.Position;
import dev.runctl.engine.spi.StepType;
import dev.runctl.engine.spi.Suggestions;
import dev.runctl.engine.spi.TargetSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The composed tree to a {@link JobSpec}: defaults applied ({@code needs} absent = the previous
 * step, {@code defaults:}, each type's retry default), and the checks that need more than the
 * schema: durations, duplicate step ids, unknown {@code needs}, unknown step types and providers,
 * the workdir. Values the schema rejected are skipped, not reported twice.
 */
final class SpecBinder {
  private final Registry registry;
  private final Diagnostics diagnostics;

  SpecBinder(Registry registry, Diagnostics diagnostics) {
    this.registry = registry;
    this.diagnostics = diagnostics;
  }

  JobSpec bind(Path file, String source, ConfigNode.Mapping root) {
    Path specDir = file.toAbsolutePath().normalize().getParent();
    Path workdir = workdir(root, specDir);
    ConfigNode.Mapping defaults =
        Nodes.mapping(root.get("defaults")).orElse(ConfigNode.Mapping.empty(root.position()));
    Optional<Duration> defaultTimeout = duration(defaults, "timeout");
    RetryFields defaultRetry = RetryFields.read(defaults.get("retry"), this::duration);
    ConfigNode.Mapping budget =
        Nodes.mapping(root.get("budget")).orElse(ConfigNode.Mapping.empty(root.position()));
    return new JobSpec(
        file,
        source,
        Nodes.text(root.get("name")).orElse(""),
        Nodes.text(root.get("description")).orElse(""),
        workdir,
        target(root),
        Nodes.textMap(root.get("env")),
        new BudgetSpec(duration(budget, "max_duration"), Nodes.number(budget.get("max_cost"))),
        steps(root, defaultTimeout, defaultRetry),
        secrets(root, specDir),
        new MatrixBinder(diagnostics).bind(root),
        Map.of(),
        state(root, file));
  }

  /** {@code state:}: a registered backend; the schema checked the backend's own keys. */
  private Optional<dev.runctl.engine.spi.StateRef> state(ConfigNode.Mapping root, Path file) {
    Optional<ConfigNode.Mapping> node = Nodes.mapping(root.get("state"));
    Optional<ConfigNode.Scalar> backend = node.flatMap(n -> Nodes.scalar(n.get(StateKeys.BACKEND)));
    if (backend.isEmpty()) {
      return Optional.empty();
    }
    String name = backend.get().value();
    List<String> known =
        registry.stateBackends().stream().map(dev.runctl.engine.spi.StateBackend::name).toList();
    if (registry.stateBackend(name).isEmpty()) {
      diagnostics.error(
          backend.get().position(),
          "unknown state backend '" + name + "'",
          Suggestions.didYouMean(name, known)
              .orElse(
                  known.isEmpty()
                      ? "this runctl keeps runs in the local state folder only: remove state:"
                      : "known backends: " + String.join(", ", known)));
      return Optional.empty();
    }
    Map<String, String> settings =
        new java.util.LinkedHashMap<>(Nodes.textMap(node.map(ConfigNode.class::cast)));
    settings.remove(StateKeys.BACKEND);
    settings.remove(StateKeys.LEASE);
    Position at = root.keyPosition("state");
    return Optional.of(
        new dev.runctl.engine.spi.StateRef(
            name, settings, duration(node.get(), StateKeys.LEASE), "the spec's state: at " + at));
  }

  /**
   * {@code secrets:}: each entry names exactly one registered source; the schema checked each
   * source's own keys. The values are not read here.
   */
  private List<dev.runctl.engine.spi.SecretRef> secrets(ConfigNode.Mapping root, Path specDir) {
    List<dev.runctl.engine.spi.SecretRef> out = new ArrayList<>();
    Optional<ConfigNode.Mapping> secrets = Nodes.mapping(root.get("secrets"));
    if (secrets.isEmpty()) {
      return out;
    }
    List<String> known = registry.secretSources().stream().map(s -> s.name()).toList();
    for (String name : secrets.get().entries().keySet()) {
      Optional<ConfigNode.Mapping> entry = Nodes.mapping(secrets.get().get(name));
      if (entry.isEmpty()) {
        continue; // the schema said so
      }
      List<String> sources =
          entry.get().entries().keySet().stream().filter(known::contains).toList();
      Position at = secrets.get().keyPosition(name);
      if (sources.size() != 1) {
        diagnostics.error(
            at,
            "secret '"
                + name
                + "' must name exactly one source"
                + (sources.isEmpty() ? "" : ", not " + String.join(" and ", sources)),
            "e.g. "
                + name
                + ": {"
                + (known.isEmpty() ? "env" : known.get(0))
                + ": ...}; sources: "
                + String.join(", ", known));
        continue;
      }
      out.add(
          new dev.runctl.engine.spi.SecretRef(
              name, sources.get(0), Nodes.textMap(entry.map(ConfigNode.class::cast)), specDir, at));
    }
    return out;
  }

  private Path workdir(ConfigNode.Mapping root, Path specDir) {
    Optional<ConfigNode.Scalar> node = Nodes.scalar(root.get("workdir"));
    if (node.isEmpty()) {
      return specDir;
    }
    String text = node.get().value();
    Path dir = specDir.resolve(text).normalize();
    if (!Files.isDirectory(dir)) {
      diagnostics.error(
          node.get().position(),
          "workdir '"
              + text
              + "' does not exist (looked for the folder "
              + DisplayPaths.of(dir)
              + ")",
          Files.exists(dir)
              ? "workdir must be a folder, relative to the spec file"
              : "workdir is relative to the spec file's folder; fix the path or create the folder");
    }
    return dir;
  }

  private TargetSettings target(ConfigNode.Mapping root) {
    Optional<ConfigNode.Mapping> node = Nodes.mapping(root.get("target"));
    ConfigNode.Mapping target = node.orElse(ConfigNode.Mapping.empty(root.position()));
    Optional<ConfigNode.Scalar> provider = Nodes.scalar(target.get("provider"));
    String name = provider.map(ConfigNode.Scalar::value).orElseGet(registry::defaultTargetName);
    if (provider.isPresent() && registry.target(name).isEmpty()) {
      diagnostics.error(
          provider.get().position(),
          "unknown target provider '" + name + "'",
          Suggestions.didYouMean(name, registry.targetNames())
              .orElse("known providers: " + String.join(", ", registry.targetNames())));
    }
    Position at = node.isPresent() ? root.keyPosition("target") : root.position();
    return new TargetSettings(name, target, at);
  }

  private List<StepSpec> steps(
      ConfigNode.Mapping root, Optional<Duration> defaultTimeout, RetryFields defaultRetry) {
    List<ConfigNode.Mapping> nodes = new ArrayList<>();
    Nodes.items(root.get("steps"))
        .forEach(n -> Nodes.mapping(Optional.of(n)).ifPresent(nodes::add));
    Map<String, Position> ids = new HashMap<>();
    for (ConfigNode.Mapping step : nodes) {
      Nodes.scalar(step.get("id"))
          .ifPresent(
              id -> {
                Position first = ids.putIfAbsent(id.value(), id.position());
                if (first != null) {
                  diagnostics.error(
                      id.position(),
                      "duplicate step id '" + id.value() + "' (first at line " + first.line() + ")",
                      "give every step its own id");
                }
              });
    }
    List<StepSpec> steps = new ArrayList<>();
    String previous = null;
    java.util.Set<String> bound = new java.util.HashSet<>();
    for (ConfigNode.Mapping step : nodes) {
      Optional<String> id = Nodes.text(step.get("id"));
      // later duplicates are left out (an alias repeats even the first one's position)
      if (id.isEmpty() || !bound.add(id.get())) {
        continue;
      }
      steps.add(step(step, id.get(), previous, ids, defaultTimeout, defaultRetry));
      previous = id.get();
    }
    return steps;
  }

  private StepSpec step(
      ConfigNode.Mapping node,
      String id,
      String previous,
      Map<String, Position> ids,
      Optional<Duration> defaultTimeout,
      RetryFields defaultRetry) {
    String uses = Nodes.text(node.get("uses")).orElse("");
    Optional<StepType<?>> type = registry.stepType(uses);
    if (type.isEmpty() && Nodes.string(node.get("uses")).isPresent()) {
      diagnostics.error(
          node.get("uses").get().position(),
          "unknown step type '" + uses + "'",
          Suggestions.didYouMean(uses, registry.stepTypeNames())
              .orElse("known step types: " + String.join(", ", registry.stepTypeNames())));
    }
    List<String> needs = new ArrayList<>();
    if (node.get("needs").isEmpty()) {
      if (previous != null) {
        needs.add(previous);
      }
    } else {
      for (ConfigNode item : Nodes.items(node.get("needs"))) {
        Nodes.scalar(Optional.of(item))
            .ifPresent(
                n -> {
                  if (!ids.containsKey(n.value())) {
                    diagnostics.error(
                        n.position(),
                        "step '"
                            + id
                            + "' needs '"
                            + n.value()
                            + "', which is not a step of this job",
                        Suggestions.didYouMean(n.value(), ids.keySet())
                            .orElse("steps are: " + String.join(", ", sorted(ids))));
                  } else if (!needs.contains(n.value())) {
                    needs.add(n.value());
                  }
                });
      }
    }
    When when = Nodes.text(node.get("when")).flatMap(SpecBinder::when).orElse(When.ON_SUCCESS);
    Optional<Duration> timeout = duration(node, "timeout").or(() -> defaultTimeout);
    RetrySpec retry =
        RetryFields.read(node.get("retry"), this::duration)
            .over(defaultRetry, type.map(StepType::defaultMaxAttempts).orElse(1));
    ConfigNode.Mapping with =
        Nodes.mapping(node.get("with")).orElse(ConfigNode.Mapping.empty(node.position()));
    return new StepSpec(
        id,
        uses,
        needs,
        when,
        timeout,
        retry,
        Nodes.textMap(node.get("env")),
        with,
        node.position());
  }

  private static List<String> sorted(Map<String, Position> ids) {
    return ids.entrySet().stream()
        .sorted((a, b) -> Integer.compare(a.getValue().line(), b.getValue().line()))
        .map(Map.Entry::getKey)
        .toList();
  }

  private static Optional<When> when(String text) {
    for (When w : When.values()) {
      if (w.yaml().equals(text)) {
        return Optional.of(w);
      }
    }
    return Optional.empty();
  }

  /** A duration field; malformed ones were reported by the schema, zero ones are reported here. */
  Optional<Duration> duration(ConfigNode.Mapping m, String key) {
    Optional<ConfigNode.Scalar> node = Nodes.scalar(m.get(key));
    Optional<Duration> d = node.flatMap(n -> Durations.parse(n.value()));
    if (node.isPresent() && d.isEmpty() && node.get().value().matches("[0-9hms]+")) {
      // the schema's form, with more digits than a duration may have
      diagnostics.error(
          node.get().position(),
          "'" + key + "' is too long: '" + node.get().value() + "'",
          "at most 999999h (hours up to 6 digits, minutes 7, seconds 9)");
      return Optional.empty();
    }
    if (d.isPresent() && d.get().isZero()) {
      diagnostics.error(
          node.get().position(), "'" + key + "' must be longer than 0s", Durations.HINT);
      return Optional.empty();
    }
    return d;
  }
}
