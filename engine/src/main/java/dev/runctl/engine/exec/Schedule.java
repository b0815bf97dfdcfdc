package dev.runctl.engine.exec;

import dev.runctl.engine.plan.Plan;
import dev.runctl.engine.plan.PlannedStep;
import dev.runctl.engine.spec.When;
import dev.runctl.engine.state.StepStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The DAG bookkeeping of a run: which steps have ended and how, which become decidable when a step
 * ends (every step it waits for, {@link StepOrder}, ended), and what a decidable step's {@code
 * when} makes of it. Used by the coordinator thread only.
 */
final class Schedule {
  /** What to do with a step whose needs have all ended. */
  sealed interface Decision {}

  record Run() implements Decision {}

  record Skip(String reason) implements Decision {}

  /** An {@code on_failure} step while nothing has failed yet: decided when the run settles. */
  record Park() implements Decision {}

  private final Map<String, PlannedStep> steps = new LinkedHashMap<>();
  private final Map<String, List<PlannedStep>> dependents = new HashMap<>();
  private final Map<String, Integer> remaining = new HashMap<>();
  private final Map<String, StepStatus> status = new HashMap<>();
  private final StepOrder order;
  private int ended;

  Schedule(Plan plan, Map<String, StepStatus> initial) {
    for (PlannedStep s : plan.steps()) {
      steps.put(s.id(), s);
      StepStatus st = initial.getOrDefault(s.id(), StepStatus.PENDING);
      status.put(s.id(), st);
      if (st.ended()) {
        ended++;
      }
    }
    Set<String> endedBefore = new HashSet<>();
    initial.forEach(
        (id, st) -> {
          if (st.ended()) {
            endedBefore.add(id);
          }
        });
    order = new StepOrder(plan.steps(), endedBefore);
    for (PlannedStep s : plan.steps()) {
      int open = 0;
      for (String need : order.of(s.id()).all()) {
        dependents.computeIfAbsent(need, k -> new ArrayList<>()).add(s);
        if (!status.get(need).ended()) {
          open++;
        }
      }
      remaining.put(s.id(), open);
    }
  }

  /** Pending steps whose needs have all ended already (at the start of a process). */
  List<PlannedStep> decidable() {
    return steps.values().stream()
        .filter(s -> status.get(s.id()) == StepStatus.PENDING && remaining.get(s.id()) == 0)
        .toList();
  }

  void running(String id) {
    status.put(id, StepStatus.RUNNING);
  }

  /** Records a step's end; returns the steps that have just become decidable. */
  List<PlannedStep> ended(String id, StepStatus st) {
    if (!status.get(id).ended()) {
      ended++;
    }
    status.put(id, st);
    List<PlannedStep> now = new ArrayList<>();
    for (PlannedStep d : dependents.getOrDefault(id, List.of())) {
      int left = remaining.merge(d.id(), -1, Integer::sum);
      if (left == 0 && status.get(d.id()) == StepStatus.PENDING) {
        now.add(d);
      }
    }
    return now;
  }

  boolean allEnded() {
    return ended == steps.size();
  }

  StepStatus status(String id) {
    return status.get(id);
  }

  /**
   * {@code always}: runs. Otherwise a stopped run skips it, and so does a skipped need. {@code
   * on_success} needs every need succeeded and no failure elsewhere (the run stops launching work
   * after a failure); {@code on_failure} runs once some step failed. The needs are those of {@link
   * StepOrder}: through a step that had ended before this process, what it needed.
   */
  Decision decide(PlannedStep s, Optional<String> failedStep, Optional<String> stopReason) {
    When when = s.spec().when();
    if (when == When.ALWAYS) {
      return new Run();
    }
    if (stopReason.isPresent()) {
      return new Skip(stopReason.get());
    }
    for (String need : order.of(s.id()).needs()) {
      StepStatus st = status.get(need);
      if (st == StepStatus.SKIPPED) {
        return new Skip("needs '" + need + "', which was skipped");
      }
      if (when == When.ON_SUCCESS && st != StepStatus.SUCCEEDED) {
        return new Skip(
            "needs '"
                + need
                + "', which "
                + (st == StepStatus.FAILED ? "failed" : "was " + st.label()));
      }
    }
    if (when == When.ON_SUCCESS) {
      return failedStep.isPresent()
          ? new Skip("step '" + failedStep.get() + "' failed")
          : new Run();
    }
    return failedStep.isPresent() ? new Run() : new Park();
  }
}
