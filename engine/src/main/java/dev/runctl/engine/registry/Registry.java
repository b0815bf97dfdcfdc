package dev.runctl.engine.registry;

import dev.runctl.engine.spi.SecretSource;
import dev.runctl.engine.spi.StateBackend;
import dev.runctl.engine.spi.StepType;
import dev.runctl.engine.spi.TargetProvider;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The step types and targets one runctl knows, composed by the CLI. The first target provider is
 * the default: a spec without {@code target.provider} runs there.
 */
public final class Registry {
  private final Map<String, StepType<?>> steps = new LinkedHashMap<>();
  private final Map<String, TargetProvider> targets = new LinkedHashMap<>();
  private final Map<String, SecretSource> secretSources = new LinkedHashMap<>();
  private final Map<String, StateBackend> stateBackends = new LinkedHashMap<>();

  public Registry(List<StepType<?>> stepTypes, List<TargetProvider> targetProviders) {
    this(stepTypes, targetProviders, List.of());
  }

  public Registry(
      List<StepType<?>> stepTypes,
      List<TargetProvider> targetProviders,
      List<SecretSource> secretSources) {
    this(stepTypes, targetProviders, secretSources, List.of());
  }

  public Registry(
      List<StepType<?>> stepTypes,
      List<TargetProvider> targetProviders,
      List<SecretSource> secretSources,
      List<StateBackend> stateBackends) {
    stateBackends.forEach(b -> this.stateBackends.put(b.name(), b));
    stepTypes.forEach(s -> steps.put(s.name(), s));
    targetProviders.forEach(t -> targets.put(t.name(), t));
    secretSources.forEach(s -> this.secretSources.put(s.name(), s));
  }

  /** Where the spec's {@code secrets:} may come from, in the order they were registered. */
  public List<SecretSource> secretSources() {
    return List.copyOf(secretSources.values());
  }

  /** Where the spec's {@code state:} may keep runs besides the local folder. */
  public List<StateBackend> stateBackends() {
    return List.copyOf(stateBackends.values());
  }

  public Optional<StateBackend> stateBackend(String name) {
    return Optional.ofNullable(stateBackends.get(name));
  }

  public Optional<SecretSource> secretSource(String name) {
    return Optional.ofNullable(secretSources.get(name));
  }

  public Optional<StepType<?>> stepType(String name) {
    return Optional.ofNullable(steps.get(name));
  }

  public Optional<TargetProvider> target(String name) {
    return Optional.ofNullable(targets.get(name));
  }

  /** The step types, in the order they were registered. */
  public List<StepType<?>> stepTypes() {
    return List.copyOf(steps.values());
  }

  /** The target providers, in the order they were registered. */
  public List<TargetProvider> targets() {
    return List.copyOf(targets.values());
  }

  /** The provider of a spec that names none: the first one registered. */
  public String defaultTargetName() {
    return targets.keySet().stream()
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("no target provider is registered"));
  }

  public List<String> stepTypeNames() {
    return List.copyOf(steps.keySet());
  }

  public List<String> targetNames() {
    return List.copyOf(targets.keySet());
  }
}
