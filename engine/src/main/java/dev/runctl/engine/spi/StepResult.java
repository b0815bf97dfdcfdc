package dev.runctl.engine.spi;

import java.util.Map;
import java.util.Optional;

/**
 * A successful attempt: its outputs, and a fingerprint of its local inputs (the workdir's content
 * for sync, the requirements for deps) that resume compares against to detect changed inputs.
 */
public record StepResult(Map<String, String> outputs, Optional<String> inputFingerprint) {
  public StepResult {
    outputs = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(outputs));
  }

  public static StepResult of(Map<String, String> outputs) {
    return new StepResult(outputs, Optional.empty());
  }
}
