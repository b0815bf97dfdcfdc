package dev.runctl.engine.exec;

import dev.runctl.engine.plan.PlannedStep;

/**
 * After an interruption (the machine went away), runs the upstream steps whose type keeps state on
 * the machine (provision, sync, deps) again, so that the retry finds a machine set up as before.
 */
@FunctionalInterface
interface MachineStateRepair {
  void rerunUpstream(PlannedStep interrupted) throws InterruptedException;
}
