package dev.runctl.engine.spi;

import java.util.List;
import java.util.Map;

/** A step type's own settings, parsed from {@code with:}. Implementations are records. */
public interface StepConfig {

  /** Paths relative to the workdir that this step needs on the machine; sync checks them. */
  default List<String> requiredPaths() {
    return List.of();
  }

  /**
   * Paths relative to the workdir that this step names and may read on the machine: its {@link
   * #requiredPaths()}, and values that may name a file (a train argument such as a config file).
   * Sync says when its excludes leave out one that exists locally.
   */
  default List<String> namedPaths() {
    return requiredPaths();
  }

  /**
   * True when this step, as configured, leaves on the machine what later steps use, and says how to
   * tell it is there (a {@code run} step with {@code creates:}). The engine then treats it as
   * setting the machine up, as {@link StepType#machineState()} steps are: after the machine was
   * given back (a resume after a teardown) or replaced (an interruption), it runs again, in plan
   * order, before the work downstream of it; its {@link StepType#alreadyDone} check skips it on a
   * machine that still has its work.
   */
  default boolean machineState() {
    return false;
  }

  /** The effective settings, defaults applied, in the order plan prints them. */
  Map<String, String> describe();
}
