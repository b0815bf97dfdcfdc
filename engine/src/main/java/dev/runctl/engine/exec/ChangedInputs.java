package dev.runctl.engine.exec;

import dev.runctl.engine.plan.Plan;
import dev.runctl.engine.plan.PlannedStep;
import dev.runctl.engine.state.RunState;
import dev.runctl.engine.state.StepState;
import dev.runctl.engine.state.StepStatus;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Resume's check: succeeded steps whose inputs changed since, and what follows them. */
final class ChangedInputs {
  private ChangedInputs() {}

  /** Succeeded steps whose input fingerprint now differs from the one recorded at success. */
  static List<String> find(RunScope scope, RunState prior, Map<String, StepStatus> initial) {
    List<String> changed = new ArrayList<>();
    Attempt probe = new Attempt(scope, s -> {});
    for (PlannedStep s : scope.plan.steps()) {
      Optional<String> recorded = prior.step(s.id()).flatMap(StepState::fingerprint);
      if (initial.get(s.id()) != StepStatus.SUCCEEDED || recorded.isEmpty()) {
        continue;
      }
      Optional<String> now;
      try {
        now = probe.fingerprintNow(s, prior.step(s.id()).get().attempts());
      } catch (Exception e) {
        scope.warn(
            Optional.of(s.id()),
            "cannot fingerprint the inputs (" + e.getMessage() + "); counting them as changed");
        now = Optional.empty();
      }
      if (!now.equals(recorded)) {
        changed.add(s.id());
      }
    }
    return changed;
  }

  /** The roots and every succeeded step downstream of them, in plan order. */
  static List<String> withDownstream(
      Plan plan, List<String> roots, Map<String, StepStatus> initial) {
    Set<String> out = new LinkedHashSet<>(roots);
    for (PlannedStep s : plan.steps()) {
      if (s.spec().needs().stream().anyMatch(out::contains)) {
        out.add(s.id());
      }
    }
    return out.stream().filter(initial::containsKey).toList();
  }
}
