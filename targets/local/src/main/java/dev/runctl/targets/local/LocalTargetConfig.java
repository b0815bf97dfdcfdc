package dev.runctl.targets.local;

import dev.runctl.engine.spi.TargetConfig;
import java.util.Map;

/** The local target has no settings besides {@code provider: local}. */
public record LocalTargetConfig() implements TargetConfig {
  @Override
  public Map<String, String> describe() {
    return Map.of("provider", "local");
  }
}
