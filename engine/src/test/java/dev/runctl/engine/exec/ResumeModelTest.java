package dev.runctl.engine.exec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runctl.engine.plan.Plan;
import dev.runctl.engine.plan.PlannedStep;
import dev.runctl.engine.spec.When;
import dev.runctl.engine.state.JournalLoader;
import dev.runctl.engine.state.RunFolder;
import dev.runctl.engine.state.RunState;
import dev.runctl.engine.state.RunStatus;
import dev.runctl.engine.state.StepState;
import dev.runctl.engine.state.StepStatus;
import dev.runctl.engine.testing.EngineHarness;
import dev.runctl.engine.testing.TestPlans;
import dev.runctl.engine.testing.model.ModelStep;
import dev.runctl.engine.testing.model.ModelStep.Kind;
import dev.runctl.engine.testing.model.ModelTarget;
import dev.runctl.engine.testing.model.ModelWorld;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Resume against a model of the world ({@link ModelWorld}): for every step of the canonical job and
 * of a DAG with two diamonds, fail it once, and separately kill runctl before and after every
 * action it takes on the world (the journal as a kill -9 at that instant leaves it: the records
 * written, not those still queued), with and without a failure still to come, then resume until the
 * run succeeds. Each resume must start a step only after every step upstream of it that this resume
 * runs has ended (succeeded, for an on_success step), set the machine up again in plan order, give
 * it back last, run no succeeded step again whose outputs are still valid (never the train), end
 * succeeded, and leave nothing alive.
 */
class ResumeModelTest {
  @TempDir Path tmp;
  private int cases;

  static Plan canonical(ModelWorld w, Path dir) {
    return TestPlans.job("canonical", dir)
        .target(ModelTarget.provider(w))
        .step("provision", new ModelStep(w, Kind.PROVISION))
        .step("sync", new ModelStep(w, Kind.SYNC))
        .step("deps", new ModelStep(w, Kind.DEPS))
        .step("prepare", new ModelStep(w, Kind.CHECK))
        .with("check", List.of("code"))
        .with("write", List.of("data"))
        .with("creates", List.of("data"))
        .step("train", new ModelStep(w, Kind.TRAIN))
        .step("verify", new ModelStep(w, Kind.CHECK))
        .with("check", List.of("checkpoints/metrics.json", "checkpoints/epoch-1", "data"))
        .step("teardown", new ModelStep(w, Kind.TEARDOWN))
        .when(When.ALWAYS)
        .build();
  }

  static Plan diamonds(ModelWorld w, Path dir) {
    return TestPlans.job("diamonds", dir)
        .target(ModelTarget.provider(w))
        .step("provision", new ModelStep(w, Kind.PROVISION))
        .step("sync", new ModelStep(w, Kind.SYNC))
        .step("deps", new ModelStep(w, Kind.DEPS))
        .step("data", new ModelStep(w, Kind.CHECK))
        .needs("sync")
        .with("check", List.of("code"))
        .with("write", List.of("data"))
        .with("creates", List.of("data"))
        .step("train", new ModelStep(w, Kind.TRAIN))
        .needs("deps", "data")
        .step("eval-a", new ModelStep(w, Kind.CHECK))
        .needs("train")
        .with("check", List.of("checkpoints/metrics.json", "venv"))
        .step("eval-b", new ModelStep(w, Kind.CHECK))
        .needs("train")
        .with("check", List.of("checkpoints/epoch-1", "code"))
        .step("report", new ModelStep(w, Kind.CHECK))
        .needs("eval-a", "eval-b")
        .with("check", List.of("checkpoints/metrics.json", "data"))
        .step("teardown", new ModelStep(w, Kind.TEARDOWN))
        .needs("report")
        .when(When.ALWAYS)
        .build();
  }

  @Test
  void everyFailedStepOfTheCanonicalJobResumesRight() throws Exception {
    failEveryStep(ResumeModelTest::canonical);
  }

  @Test
  void everyFailedStepOfTheDiamondsResumesRight() throws Exception {
    failEveryStep(ResumeModelTest::diamonds);
  }

  @Test
  void aKillAtEveryTransitionOfTheCanonicalJobResumesRight() throws Exception {
    killEverywhere(ResumeModelTest::canonical, "verify");
  }

  @Test
  void aKillAtEveryTransitionOfTheDiamondsResumesRight() throws Exception {
    killEverywhere(ResumeModelTest::diamonds, "report");
  }

  private interface PlanFor {
    Plan make(ModelWorld w, Path dir);
  }

  private void failEveryStep(PlanFor planFor) throws Exception {
    List<String> ids =
        planFor.make(new ModelWorld(), tmp).steps().stream().map(PlannedStep::id).toList();
    for (String failing : ids) {
      ModelWorld world = new ModelWorld();
      Path dir = Files.createDirectories(tmp.resolve("case-" + ++cases));
      Plan plan = planFor.make(world, dir);
      EngineHarness engine = new EngineHarness(dir.resolve("state"));
      world.failOnce(failing);
      RunResult first = engine.apply(plan);
      assertThat(first.status()).as("fails at %s", failing).isEqualTo(RunStatus.FAILED);
      resumeUntilSucceeded(world, plan, engine, first.runId(), "failed at " + failing);
    }
  }

  /**
   * For k = 1, 2, ...: kills the first runctl at its k-th action on the world, before and after the
   * action's effect, with {@code failing} failing once, until a run ends with no kill left.
   */
  private void killEverywhere(PlanFor planFor, String failing) throws Exception {
    for (String fail : new String[] {"", failing}) {
      for (boolean after : new boolean[] {false, true}) {
        for (int k = 1; ; k++) {
          ModelWorld world = new ModelWorld();
          Path dir = Files.createDirectories(tmp.resolve("case-" + ++cases));
          Plan plan = planFor.make(world, dir);
          EngineHarness engine = new EngineHarness(dir.resolve("state"));
          if (!fail.isEmpty()) {
            world.failOnce(fail);
          }
          world.killAt(k, after);
          if (!killedApply(world, plan, engine)) {
            assertThat(k).as("some kill happened").isGreaterThan(1);
            break;
          }
          String runId = engine.store().list().get(0).runId();
          String what =
              "killed "
                  + (after ? "after" : "before")
                  + " action "
                  + k
                  + (fail.isEmpty() ? "" : ", " + fail + " failing once");
          resumeUntilSucceeded(world, plan, engine, runId, what);
        }
      }
    }
  }

  /** Runs apply until the world kills it; the journal is then as the kill left it. */
  private static boolean killedApply(ModelWorld world, Plan plan, EngineHarness engine)
      throws Exception {
    AtomicReference<Throwable> error = new AtomicReference<>();
    Thread t =
        new Thread(
            () -> {
              try {
                engine.apply(plan);
              } catch (InterruptedException e) {
                // the kill
              } catch (Throwable e) {
                error.set(e);
              }
            });
    t.setDaemon(true);
    t.start();
    while (!world.killed().await(5, TimeUnit.MILLISECONDS)) {
      if (!t.isAlive()) {
        assertThat(error.get()).isNull();
        return false;
      }
    }
    t.interrupt();
    t.join(TimeUnit.SECONDS.toMillis(20));
    assertThat(t.isAlive()).as("the killed run stopped").isFalse();
    RunFolder f = engine.store().list().get(0);
    Files.write(f.journal(), world.journalAtKill());
    Files.deleteIfExists(f.snapshot());
    return true;
  }

  private static void resumeUntilSucceeded(
      ModelWorld world, Plan plan, EngineHarness engine, String runId, String what)
      throws Exception {
    for (int n = 1; ; n++) {
      RunFolder folder = engine.store().existing(runId);
      RunState prior = RunState.replay(JournalLoader.load(folder.journal(), false).records());
      int trainsBefore = world.starts("train");
      boolean failurePending = world.failurePending();
      RunResult r = engine.resume(plan, runId, false);
      String as = what + ", resume " + n;
      new ResumeChecks(plan, prior, world, world.lastProcess(), as).check(trainsBefore);
      if (r.status() == RunStatus.SUCCEEDED) {
        assertThat(world.alive()).as("%s: nothing left alive", as).isEmpty();
        assertThat(world.starts("train")).as("%s: one training ever", as).isEqualTo(1);
        RunState s = engine.state(runId);
        plan.steps()
            .forEach(
                p ->
                    assertThat(s.step(p.id()).map(StepState::status))
                        .as("%s: %s", as, p.id())
                        .contains(StepStatus.SUCCEEDED));
        return;
      }
      assertThat(failurePending)
          .as("%s: fails only when the failure on cue is still to come (%s)", as, r.reason())
          .isTrue();
    }
  }
}
