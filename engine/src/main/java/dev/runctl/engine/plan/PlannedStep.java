package dev.runctl.engine.plan;

import dev.runctl.engine.spec.StepSpec;
import dev.runctl.engine.spi.StepConfig;
import dev.runctl.engine.spi.StepType;

/**
 * A step of a plan: its spec (effective settings), its type, the config its type parsed at plan
 * time (expressions unresolved), and its wave: the length of the longest {@code needs} chain before
 * it, so that steps of one wave may run in parallel. {@code fixedConfig}: its settings have no
 * expressions, so the config of plan time is the config of every attempt.
 */
public record PlannedStep(
    StepSpec spec, StepType<?> type, StepConfig config, int wave, boolean fixedConfig) {

  public PlannedStep(StepSpec spec, StepType<?> type, StepConfig config, int wave) {
    this(spec, type, config, wave, config != null && !Expressions.any(spec.with()));
  }

  public String id() {
    return spec.id();
  }

  /**
   * True when what the step does lives on the machine: its type sets the machine up ({@link
   * dev.runctl.engine.spi.StepType#machineState()}: provision, sync, deps) or its settings say so
   * ({@link dev.runctl.engine.spi.StepConfig#machineState()}: a {@code run} step with {@code
   * creates:}). Such steps run again when the machine was given back or replaced.
   */
  public boolean setsUpMachine() {
    return type.machineState() || (config != null && config.machineState());
  }
}
