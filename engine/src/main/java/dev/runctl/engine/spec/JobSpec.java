package dev.runctl.engine.spec;

import dev.runctl.engine.spi.SecretRef;
import dev.runctl.engine.spi.TargetSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A validated job spec. {@code file} is the spec's path, {@code workdir} the absolute local folder
 * that sync copies, {@code source} the spec's text as read (frozen into the run folder at apply).
 */
public record JobSpec(
    Path file,
    String source,
    String name,
    String description,
    Path workdir,
    TargetSettings target,
    Map<String, String> env,
    BudgetSpec budget,
    List<StepSpec> steps,
    List<SecretRef> secrets,
    java.util.Optional<MatrixSpec> matrix,
    Map<String, String> combination,
    java.util.Optional<dev.runctl.engine.spi.StateRef> state) {

  public JobSpec {
    env = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(env));
    steps = List.copyOf(steps);
    secrets = List.copyOf(secrets);
    combination = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(combination));
  }

  /**
   * The spec of one child of a sweep: the same job with {@code combination} as its {@code ${{
   * matrix.<name> }}} values and {@code budget} (its share of the sweep's).
   */
  public JobSpec child(Map<String, String> combination, BudgetSpec budget) {
    return new JobSpec(
        file,
        source,
        name,
        description,
        workdir,
        target,
        env,
        budget,
        steps,
        secrets,
        matrix,
        combination,
        state);
  }

  /** A sweep: a {@code matrix:} and no combination chosen yet. */
  public boolean isSweep() {
    return matrix.isPresent() && combination.isEmpty();
  }

  /** A spec without {@code secrets:}, {@code matrix:} or {@code state:} (tests build these). */
  public JobSpec(
      Path file,
      String source,
      String name,
      String description,
      Path workdir,
      TargetSettings target,
      Map<String, String> env,
      BudgetSpec budget,
      List<StepSpec> steps) {
    this(
        file,
        source,
        name,
        description,
        workdir,
        target,
        env,
        budget,
        steps,
        List.of(),
        java.util.Optional.empty(),
        Map.of(),
        java.util.Optional.empty());
  }

  public java.util.Optional<StepSpec> step(String id) {
    return steps.stream().filter(s -> s.id().equals(id)).findFirst();
  }

  /** The steps by id, for callers that look up many: {@link #step} scans the list each time. */
  public Map<String, StepSpec> stepsById() {
    Map<String, StepSpec> byId = new java.util.HashMap<>(steps.size() * 2);
    steps.forEach(s -> byId.putIfAbsent(s.id(), s));
    return byId;
  }
}
