package dev.runctl.engine.exec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runctl.engine.plan.Plan;
import dev.runctl.engine.plan.PlannedStep;
import dev.runctl.engine.spec.When;
import dev.runctl.engine.state.RunState;
import dev.runctl.engine.state.StepState;
import dev.runctl.engine.state.StepStatus;
import dev.runctl.engine.testing.model.ModelWorld;
import java.util.List;
import java.util.Optional;

/**
 * What one resume must have done, read from the attempts its steps recorded in the {@link
 * ModelWorld} and the state the journal held before it.
 */
final class ResumeChecks {
  private final Plan plan;
  private final RunState prior;
  private final List<ModelWorld.Event> events;
  private final ModelWorld world;
  private final String as;

  ResumeChecks(Plan plan, RunState prior, ModelWorld world, int process, String as) {
    this.plan = plan;
    this.prior = prior;
    this.world = world;
    this.events = world.events().stream().filter(e -> e.process() == process).toList();
    this.as = as;
  }

  void check(int trainsBefore) {
    boolean releaserStarted =
        plan.steps().stream().anyMatch(s -> s.type().releasesMachine() && attempts(s.id()) > 0);
    List<String> ids = plan.steps().stream().map(PlannedStep::id).toList();
    for (int i = 0; i < events.size(); i++) {
      ModelWorld.Event e = events.get(i);
      if (!e.what().equals("start")) {
        continue;
      }
      PlannedStep step = plan.step(e.step()).orElseThrow();
      for (String up : plan.upstreamOf(List.of(step.id()))) {
        upstreamDoneBefore(up, step, i);
      }
      if (step.setsUpMachine()) {
        for (PlannedStep s : plan.steps().subList(plan.steps().indexOf(step) + 1, ids.size())) {
          // set-up steps in branches of their own (deps and a data step) may run side by side
          boolean after = plan.upstreamOf(List.of(s.id())).contains(step.id());
          assertThat(after && s.setsUpMachine() && lastBefore(s.id(), i).isPresent())
              .as(
                  "%s: the machine is set up again in plan order: %s before %s",
                  as, step.id(), s.id())
              .isFalse();
        }
      }
      if (step.type().releasesMachine()) {
        for (int j = i + 1; j < events.size(); j++) {
          assertThat(events.get(j).step())
              .as("%s: %s gives the machine back last", as, step.id())
              .isEqualTo(step.id());
        }
      }
      if (status(step.id()) == StepStatus.SUCCEEDED) {
        boolean cleanUp = step.spec().when() != When.ON_SUCCESS;
        boolean setUpAgain = step.setsUpMachine() && releaserStarted;
        assertThat(cleanUp || setUpAgain)
            .as(
                "%s: %s succeeded before and its outputs are valid: it must not run again",
                as, step.id())
            .isTrue();
      }
    }
    if (status("train") == StepStatus.SUCCEEDED) {
      assertThat(world.starts("train"))
          .as("%s: a succeeded train is not started again", as)
          .isEqualTo(trainsBefore);
    }
  }

  /** {@code up}, upstream of the step starting at {@code i}, has succeeded by then. */
  private void upstreamDoneBefore(String up, PlannedStep step, int i) {
    for (int j = i + 1; j < events.size(); j++) {
      assertThat(events.get(j).step())
          .as("%s: %s, upstream of %s, ran after it", as, up, step.id())
          .isNotEqualTo(up);
    }
    Optional<String> last = lastBefore(up, i);
    if (last.isPresent()) {
      List<String> ends =
          step.spec().when() == When.ON_SUCCESS ? List.of("ok") : List.of("ok", "failed");
      assertThat(ends)
          .as("%s: %s ended (%s) before %s started", as, up, last.get(), step.id())
          .contains(last.get());
    } else {
      assertThat(status(up))
          .as("%s: %s, upstream of %s, had succeeded before the resume", as, up, step.id())
          .isEqualTo(StepStatus.SUCCEEDED);
    }
  }

  private Optional<String> lastBefore(String step, int i) {
    Optional<String> last = Optional.empty();
    for (int j = 0; j < i; j++) {
      if (events.get(j).step().equals(step)) {
        last = Optional.of(events.get(j).what());
      }
    }
    return last;
  }

  private StepStatus status(String id) {
    return prior.step(id).map(StepState::status).orElse(StepStatus.PENDING);
  }

  private int attempts(String id) {
    return prior.step(id).map(StepState::attempts).orElse(0);
  }
}
