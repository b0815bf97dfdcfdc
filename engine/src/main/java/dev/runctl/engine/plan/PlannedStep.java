package dev.runctl.engine.plan;

import dev.runctl.engine.spec.StepSpec;
import dev.runctl.engine.spi.StepConfig;
import dev.runctl.engine.spi.StepType;

/**
 * A step of a plan: its spec (effective settings), its type, the config its type parsed at plan
 * time (expressions unresolved), and its wave: the length of the longest {@code needs} chain before
 * it, so that steps of one wave may run in parallel.
 */
public record PlannedStep(StepSpec spec, StepType<?> type, StepConfig config, int wave) {
  public String id() {
    return spec.id();
  }
}
