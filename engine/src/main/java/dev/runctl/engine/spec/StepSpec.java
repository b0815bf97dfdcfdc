package dev.runctl.engine.spec;

import dev.runctl.engine.spi.ConfigNode;
import dev.runctl.engine.spi.ConfigureContext;
import dev.runctl.engine.spi.Position;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One step with its effective settings: {@code needs} resolved (the implicit "previous step" made
 * explicit), {@code defaults:} and the step type's own defaults applied. {@code with} and {@code
 * env} values may still contain {@code ${{ }}} expressions; they are resolved at execution.
 */
public record StepSpec(
    String id,
    String uses,
    List<String> needs,
    When when,
    Optional<Duration> timeout,
    RetrySpec retry,
    Map<String, String> env,
    ConfigNode.Mapping with,
    Position position) {

  public StepSpec {
    needs = List.copyOf(needs);
    env = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(env));
  }

  /** This step as a step type sees it when it configures {@code with:}. */
  public ConfigureContext.Step ref() {
    return new ConfigureContext.Step(id, uses, position);
  }
}
