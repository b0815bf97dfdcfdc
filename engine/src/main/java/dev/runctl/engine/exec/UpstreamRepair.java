package dev.runctl.engine.exec;

import dev.runctl.engine.plan.PlannedStep;
import dev.runctl.engine.spi.ErrorClass;
import dev.runctl.engine.spi.StepException;
import dev.runctl.engine.state.JournalRecord;
import dev.runctl.engine.state.StepStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * After an interruption, runs the steps upstream of the interrupted one whose type keeps state on
 * the machine ({@code machineState()}: provision, sync, deps, a {@code run} step with {@code
 * creates:}) again, in plan order, in the interrupted step's thread; each is journaled like any
 * step, and its new outputs (a new machine's id and host) replace the old ones.
 */
final class UpstreamRepair implements MachineStateRepair {
  private final RunScope scope;
  private final Map<String, Integer> attempts;
  private StepRunner runner;

  UpstreamRepair(RunScope scope, Map<String, Integer> attempts) {
    this.scope = scope;
    this.attempts = attempts;
  }

  void runner(StepRunner r) {
    this.runner = r;
  }

  /** Runs the machine-state steps upstream of {@code step} again (after an interruption). */
  @Override
  public void rerunUpstream(PlannedStep step) {
    Set<String> upstream = scope.plan.upstreamOf(List.of(step.id()));
    for (PlannedStep u : scope.plan.steps()) {
      if (!upstream.contains(u.id()) || !u.setsUpMachine()) {
        continue;
      }
      Instant began = scope.clock.now();
      StepRunner.Outcome o = runner.run(u, attempts.getOrDefault(u.id(), 0), new StepHandle());
      attempts.put(u.id(), o.attempts());
      Instant now = scope.clock.now();
      scope.journal.appendDurably(
          new JournalRecord.StepEnded(
              now, u.id(), o.status(), o.attempts(), o.fingerprint(), o.message()));
      if (o.status() != StepStatus.SUCCEEDED) {
        throw new StepException(
            ErrorClass.FAILURE,
            false,
            "setting up the machine again after the interruption failed at step '"
                + u.id()
                + "': "
                + o.message(),
            "see `runctl logs " + scope.runId() + " " + u.id() + "`",
            null);
      }
      scope.outputs.put(u.id(), o.outputs());
      scope.emit(
          new RunEvent.StepEnded(
              scope.runId(),
              now,
              u.id(),
              o.status(),
              o.attempts(),
              java.time.Duration.ZERO,
              o.outputs(),
              "set up again after an interruption"));
    }
  }
}
