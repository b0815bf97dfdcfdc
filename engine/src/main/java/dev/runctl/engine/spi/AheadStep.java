package dev.runctl.engine.spi;

/**
 * A part of a step's work that needs no machine, declared by its type ({@link StepType#ahead}) for
 * a target that can take it: the planner makes it a step of its own, {@code <step-id>.<suffix>}
 * ({@code sync.upload}), of {@code type}, visible in the plan and journaled like any step. It needs
 * what the step needs except the steps that set the machine up ({@link StepType#machineState()}),
 * so it runs while the machine is being made, and the step needs it. {@code type} takes the step's
 * {@code with:} and is given the step's config.
 *
 * <p>The step itself must still do all of its work when it runs: the part done ahead only leaves it
 * less to do. So a resume, a retry or a replaced machine that runs the step again without the part
 * done ahead stays correct.
 */
public record AheadStep(String suffix, StepType<?> type) {
  public AheadStep {
    if (!suffix.matches("[a-z][a-z0-9_-]*")) {
      throw new IllegalArgumentException("an ahead step's suffix is a plain name: " + suffix);
    }
  }

  /** The id of this part of step {@code owner}: {@code owner.suffix}, never a user's step id. */
  public String idOf(String owner) {
    return owner + "." + suffix;
  }
}
