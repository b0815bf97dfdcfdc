package dev.runctl.engine.plan;

import dev.runctl.engine.spec.JobSpec;
import dev.runctl.engine.spi.Diagnostic;
import dev.runctl.engine.spi.StepConfig;
import dev.runctl.engine.spi.TargetConfig;
import dev.runctl.engine.spi.TargetProvider;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What apply will do: the validated job, its target, and its steps in a deterministic topological
 * order (ties broken by the order of the spec). Immutable; the executor runs it.
 */
public record Plan(
    JobSpec job,
    TargetProvider targetProvider,
    TargetConfig targetConfig,
    List<PlannedStep> steps,
    List<Diagnostic> warnings) {

  public Plan {
    steps = List.copyOf(steps);
    warnings = List.copyOf(warnings);
  }

  public Optional<PlannedStep> step(String id) {
    return steps.stream().filter(s -> s.id().equals(id)).findFirst();
  }

  /** Every step that the steps {@code ids} need, directly or through others (not them). */
  public Set<String> upstreamOf(Collection<String> ids) {
    Set<String> upstream = new HashSet<>();
    for (String id : ids) {
      step(id).ifPresent(s -> upstream.addAll(s.spec().needs()));
    }
    for (int i = steps.size() - 1; i >= 0; i--) {
      if (upstream.contains(steps.get(i).id())) {
        upstream.addAll(steps.get(i).spec().needs());
      }
    }
    return upstream;
  }

  /** Paths relative to the workdir that some step needs on the machine, in plan order. */
  public List<String> requiredPaths() {
    LinkedHashSet<String> paths = new LinkedHashSet<>();
    steps.forEach(s -> paths.addAll(s.config().requiredPaths()));
    return List.copyOf(paths);
  }

  /** Paths relative to the workdir that some step names ({@link StepConfig#namedPaths()}). */
  public List<String> namedPaths() {
    LinkedHashSet<String> paths = new LinkedHashSet<>();
    steps.forEach(s -> paths.addAll(s.config().namedPaths()));
    return List.copyOf(paths);
  }

  /** The steps grouped by wave: each group may run in parallel once the groups before it ended. */
  public List<List<PlannedStep>> waves() {
    List<List<PlannedStep>> waves = new ArrayList<>();
    for (PlannedStep s : steps) {
      while (waves.size() <= s.wave()) {
        waves.add(new ArrayList<>());
      }
      waves.get(s.wave()).add(s);
    }
    return waves.stream().map(List::copyOf).toList();
  }
}
