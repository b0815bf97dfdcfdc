package dev.runctl.engine.exec;

import dev.runctl.engine.plan.Plan;
import dev.runctl.engine.plan.PlannedStep;
import dev.runctl.engine.spec.When;
import dev.runctl.engine.state.StepStatus;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a resume runs again although it succeeded before. When work is left, the clean-up steps that
 * ran because the run ended ({@code when: always} or {@code on_failure}) run again at the new end,
 * so that what the resume makes is cleaned up too. When a step that gives the machine back
 * (teardown) was started at all (it may have ended, failed, or been in flight when runctl died),
 * the steps that set the machine up ({@link PlannedStep#setsUpMachine()}) upstream of the work left
 * run again first: the work left needs a machine. {@link StepOrder} makes the work wait for them. A
 * succeeded step whose outputs held a secret runs again too: the journal keeps them masked, and the
 * work left may need the real value.
 */
final class ResumeReset {
  /** The steps to run again and, for the journal, why. */
  record Reset(List<String> steps, String reason) {}

  private ResumeReset() {}

  static Reset find(
      Plan plan,
      Map<String, StepStatus> initial,
      Map<String, Integer> attempts,
      Map<String, Map<String, String>> outputs) {
    List<PlannedStep> left =
        plan.steps().stream()
            .filter(s -> !initial.containsKey(s.id()) && s.spec().when() == When.ON_SUCCESS)
            .toList();
    if (left.isEmpty()) {
      return new Reset(List.of(), "");
    }
    List<String> cleanUps =
        plan.steps().stream()
            .filter(s -> initial.containsKey(s.id()) && s.spec().when() != When.ON_SUCCESS)
            .map(PlannedStep::id)
            .toList();
    boolean released =
        plan.steps().stream()
            .anyMatch(s -> s.type().releasesMachine() && attempts.getOrDefault(s.id(), 0) > 0);
    Set<String> reset = new HashSet<>(cleanUps);
    if (released) {
      reset.addAll(machineSetUpstreamOf(plan, left, initial));
    }
    List<String> secretHolders =
        plan.steps().stream()
            .map(PlannedStep::id)
            .filter(initial::containsKey)
            .filter(
                id ->
                    outputs.getOrDefault(id, Map.of()).values().stream()
                        .anyMatch(v -> v.contains(SecretMasker.MASK)))
            .toList();
    reset.addAll(secretHolders);
    List<String> ordered = new ArrayList<>();
    plan.steps()
        .forEach(
            s -> {
              if (reset.contains(s.id())) {
                ordered.add(s.id());
              }
            });
    List<String> why = new ArrayList<>();
    if (released) {
      why.add("the machine was given back: setting it up again, and cleaning up again at the end");
    } else if (!cleanUps.isEmpty()) {
      why.add("the clean-up steps run again at the end");
    }
    if (!secretHolders.isEmpty()) {
      why.add(
          "outputs of "
              + String.join(", ", secretHolders)
              + " held a secret, which the journal keeps masked: computing them again");
    }
    String reason = "resuming: " + String.join("; ", why);
    return new Reset(ordered, reason);
  }

  private static Set<String> machineSetUpstreamOf(
      Plan plan, List<PlannedStep> left, Map<String, StepStatus> initial) {
    Set<String> upstream = plan.upstreamOf(left.stream().map(PlannedStep::id).toList());
    Set<String> out = new HashSet<>();
    for (PlannedStep s : plan.steps()) {
      if (upstream.contains(s.id()) && s.setsUpMachine() && initial.containsKey(s.id())) {
        out.add(s.id());
      }
    }
    return out;
  }
}
