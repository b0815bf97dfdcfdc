package dev.runctl.engine.spi;

import java.util.Optional;
import java.util.Set;

/**
 * A kind of step ({@code uses:}). A step type does its work and classifies its failures; the
 * executor owns ordering, retries, timeouts, cancellation and journaling. An attempt is stopped by
 * interrupting the thread that runs {@link #execute}: the step must then stop what it started (kill
 * the process tree) and rethrow or return promptly.
 */
public interface StepType<C extends StepConfig> {

  /** The name used in {@code uses:}. */
  String name();

  /** The output keys this type declares; expressions may reference only these. */
  Set<String> outputs();

  /**
   * Whether an expression may reference output {@code key} of a step of this type. By default the
   * keys of {@link #outputs()}; a type whose outputs are open-ended ({@code run}, whose command
   * writes them) answers true for any key it cannot rule out.
   */
  default boolean declaresOutput(String key) {
    return outputs().contains(key);
  }

  /** {@code retry.max_attempts} when the spec does not set it. */
  default int defaultMaxAttempts() {
    return 1;
  }

  /**
   * True when what the step does lives on the machine (provision, sync, deps): after an
   * interruption replaced the machine, the engine runs such upstream steps again before retrying
   * the step that was interrupted, and a resume after a {@link #releasesMachine()} step runs them
   * again.
   */
  default boolean machineState() {
    return false;
  }

  /**
   * True when the step gives the machine back (teardown). Such a step starts only once every step
   * not downstream of it has ended, and its attempt's start is on disk before it acts. When one
   * began before a resume, the engine runs it again at the end and first sets the machine up again
   * ({@link #machineState()} steps upstream of the work that is left); every step downstream of
   * those, through steps that had succeeded, waits for them.
   */
  default boolean releasesMachine() {
    return false;
  }

  /**
   * The part of this step's work that needs no machine and may run as a step of its own while the
   * machine is being made, on {@code target} (see {@link AheadStep}); empty (the default) when the
   * step has none there.
   */
  default Optional<AheadStep> ahead(TargetConfig target) {
    return Optional.empty();
  }

  /**
   * The schema of {@code with:} and the hints for its keys, composed into the job schema (see
   * {@link SettingsSchema}); by default any mapping.
   */
  default SettingsSchema settings() {
    return SettingsSchema.OPEN;
  }

  /**
   * Parses and checks {@code with:} (through {@link SettingsReader}); reports every problem to the
   * context's diagnostics.
   */
  C configure(ConfigureContext ctx);

  /**
   * A look at the whole plan once every step is configured, to report what only shows across steps
   * (sync: a path another step names that its excludes leave out). Nothing by default.
   */
  default void review(C config, PlanReview review) {}

  /**
   * The idempotency check, asked before every attempt (first, retried, or re-entered after a
   * crash): a result when the work is already done (for {@code run}, its {@code creates:} path
   * exists).
   */
  default Optional<StepResult> alreadyDone(C config, StepContext ctx) throws Exception {
    return Optional.empty();
  }

  /** One attempt. Throws {@link StepException} for classified failures. */
  StepResult execute(C config, StepContext ctx) throws Exception;

  /**
   * The fingerprint of the step's local inputs now, for resume to compare with the one recorded at
   * success; empty when the step has no such inputs.
   */
  default Optional<String> inputFingerprint(C config, StepContext ctx) throws Exception {
    return Optional.empty();
  }
}
