package dev.runctl.engine.exec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runctl.engine.plan.Plan;
import dev.runctl.engine.spec.When;
import dev.runctl.engine.state.RunState;
import dev.runctl.engine.state.RunStatus;
import dev.runctl.engine.state.StepStatus;
import dev.runctl.engine.testing.CodeStep;
import dev.runctl.engine.testing.EngineHarness;
import dev.runctl.engine.testing.FakeStep;
import dev.runctl.engine.testing.FakeTarget;
import dev.runctl.engine.testing.FakeTargetProvider;
import dev.runctl.engine.testing.TestPlans;
import dev.runctl.engine.testing.WhenEntered;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cancel (Ctrl+C, `runctl cancel`, a sweep's fail_fast) interrupts the running step's thread; a
 * step that journals while it stops (a warning, with the interrupt kept for its caller as a
 * target's stop does) must leave a cancelled, resumable run, not a broken journal.
 */
class CancelWhileJournalingTest {
  @TempDir Path dir;

  @Test
  void aStepThatWarnsWhileBeingStoppedLeavesACancelledResumableRun() throws Exception {
    EngineHarness engine = new EngineHarness(dir.resolve("state"));
    CountDownLatch entered = new CountDownLatch(1);
    // waits until interrupted, then warns on the still interrupted thread and gives up
    CodeStep step =
        new CodeStep(
            "warns_when_stopped",
            ctx -> {
              entered.countDown();
              try {
                Thread.sleep(60_000);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // kept for the caller
                ctx.warn("the command was stopped");
                throw e;
              }
            });
    RunControl control = new RunControl();
    Thread canceller =
        WhenEntered.start(entered, () -> control.cancel("fail_fast: child [2] failed"));
    Plan plan =
        TestPlans.job("demo", dir)
            .target(new FakeTargetProvider(new FakeTarget()))
            .step("train", step)
            .step("teardown", new FakeStep())
            .when(When.ALWAYS)
            .build();
    RunResult r = engine.apply(plan, control);
    canceller.join();
    assertThat(r.status()).isEqualTo(RunStatus.CANCELLED);
    RunState s = engine.state(r.runId());
    assertThat(s.step("train").orElseThrow().status()).isEqualTo(StepStatus.CANCELLED);
    assertThat(s.step("teardown").orElseThrow().status()).isEqualTo(StepStatus.SUCCEEDED);
    assertThat(s.warnings()).anyMatch(w -> w.contains("the command was stopped"));
  }
}
