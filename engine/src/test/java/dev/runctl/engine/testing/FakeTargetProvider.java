package dev.runctl.engine.testing;

import dev.runctl.engine.spi.Diagnostics;
import dev.runctl.engine.spi.Target;
import dev.runctl.engine.spi.TargetConfig;
import dev.runctl.engine.spi.TargetContext;
import dev.runctl.engine.spi.TargetProvider;
import dev.runctl.engine.spi.TargetSettings;
import java.util.Map;

/** {@code provider: fake}: opens the one {@link FakeTarget} it was given, so tests can reach it. */
public final class FakeTargetProvider implements TargetProvider {
  private final FakeTarget target;

  public FakeTargetProvider(FakeTarget target) {
    this.target = target;
  }

  /** The parsed settings: there are none. */
  public record Config() implements TargetConfig {
    @Override
    public Map<String, String> describe() {
      return Map.of("provider", "fake");
    }
  }

  @Override
  public String name() {
    return "fake";
  }

  @Override
  public TargetConfig configure(TargetSettings spec, Diagnostics diagnostics) {
    return new Config();
  }

  @Override
  public Target open(TargetConfig config, TargetContext context) {
    target.attach(context);
    return target;
  }
}
