package dev.runctl.engine.testing;

import dev.runctl.engine.spi.ConfigureContext;
import dev.runctl.engine.spi.StepConfig;
import dev.runctl.engine.spi.StepContext;
import dev.runctl.engine.spi.StepResult;
import dev.runctl.engine.spi.StepType;
import java.util.Map;
import java.util.Set;

/**
 * A step type for engine tests without settings or outputs, whose execution is the test's own code
 * (waiting at a barrier, reacting to an interrupt); it succeeds when that code returns.
 */
public final class CodeStep implements StepType<CodeStep.Config> {
  /** What the step does when it runs. */
  @FunctionalInterface
  public interface Body {
    void run(StepContext ctx) throws Exception;
  }

  /** No settings. */
  public record Config() implements StepConfig {
    @Override
    public Map<String, String> describe() {
      return Map.of();
    }
  }

  private final String name;
  private final Body body;

  public CodeStep(String name, Body body) {
    this.name = name;
    this.body = body;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Set<String> outputs() {
    return Set.of();
  }

  @Override
  public Config configure(ConfigureContext ctx) {
    return new Config();
  }

  @Override
  public StepResult execute(Config c, StepContext ctx) throws Exception {
    body.run(ctx);
    return StepResult.of(Map.of());
  }
}
