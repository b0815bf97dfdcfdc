package dev.runctl.engine.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runctl.engine.plan.Plan;
import dev.runctl.engine.spec.When;
import dev.runctl.engine.spi.ErrorClass;
import dev.runctl.engine.spi.StepContext;
import dev.runctl.engine.spi.StepResult;
import dev.runctl.engine.spi.StepType;
import dev.runctl.engine.state.JournalRecord;
import dev.runctl.engine.state.RunState;
import dev.runctl.engine.state.RunStatus;
import dev.runctl.engine.state.StepStatus;
import dev.runctl.engine.testing.CodeStep;
import dev.runctl.engine.testing.EngineHarness;
import dev.runctl.engine.testing.FakeClock;
import dev.runctl.engine.testing.FakeStep;
import dev.runctl.engine.testing.FakeTarget;
import dev.runctl.engine.testing.FakeTargetProvider;
import dev.runctl.engine.testing.TestPlans;
import dev.runctl.engine.testing.WhenEntered;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunExecutorTest {
  @TempDir Path dir;
  FakeTarget target;
  EngineHarness engine;
  final FakeStep fake = new FakeStep();

  @BeforeEach
  void setUp() {
    target = new FakeTarget();
    engine = new EngineHarness(dir.resolve("state"));
  }

  TestPlans job() {
    return TestPlans.job("demo", dir).target(new FakeTargetProvider(target));
  }

  @Test
  void diamondRunsItsBranchesInParallel() throws Exception {
    // two steps that can only both succeed when they run at the same time
    CyclicBarrier meet = new CyclicBarrier(2);
    CodeStep barrier = new CodeStep("barrier", ctx -> meet.await(20, TimeUnit.SECONDS));
    Plan plan =
        job()
            .step("a", fake)
            .step("b", barrier)
            .needs("a")
            .step("c", barrier)
            .needs("a")
            .step("d", fake)
            .needs("b", "c")
            .build();
    RunResult r = engine.apply(plan);
    assertThat(r.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(r.status()).isEqualTo(RunStatus.SUCCEEDED);
    RunState s = engine.state(r.runId());
    assertThat(s.stepsWith(StepStatus.SUCCEEDED)).containsExactly("a", "b", "c", "d");
  }

  @Test
  void retriesWithBackoffStopAtMaxAttempts() throws Exception {
    target.inPlace().failNext(ErrorClass.ERROR, true).failNext(ErrorClass.ERROR, true);
    target.inPlace().failNext(ErrorClass.ERROR, true).failNext(ErrorClass.ERROR, true);
    Plan plan = job().step("a", fake).retry(3, Duration.ofMillis(100)).build();
    RunResult r = engine.apply(plan);
    assertThat(r.status()).isEqualTo(RunStatus.FAILED);
    assertThat(r.status()).isEqualTo(RunStatus.FAILED);
    List<JournalRecord.AttemptStarted> starts =
        engine.journal(r.runId()).stream()
            .filter(JournalRecord.AttemptStarted.class::isInstance)
            .map(JournalRecord.AttemptStarted.class::cast)
            .toList();
    assertThat(starts).extracting(JournalRecord.AttemptStarted::attempt).containsExactly(1, 2, 3);
    Duration first = Duration.between(starts.get(0).at(), starts.get(1).at());
    Duration second = Duration.between(starts.get(1).at(), starts.get(2).at());
    assertThat(first).isGreaterThanOrEqualTo(Duration.ofMillis(75));
    assertThat(second).isGreaterThanOrEqualTo(Duration.ofMillis(150));
    assertThat(engine.state(r.runId()).step("a").orElseThrow().errorClass()).contains("error");
  }

  @Test
  void nonRetryableErrorsAndUnlistedClassesAreNotRetried() throws Exception {
    target.inPlace().failNext(ErrorClass.ERROR, false).exitNext(1);
    Plan plan =
        job()
            .step("a", fake)
            .retry(3, Duration.ofMillis(10))
            .step("b", fake)
            .needs()
            .retry(3, Duration.ofMillis(10))
            .build();
    RunResult r = engine.apply(plan);
    RunState s = engine.state(r.runId());
    assertThat(s.step("a").orElseThrow().attempts()).isEqualTo(1);
    assertThat(s.step("b").orElseThrow().attempts()).isEqualTo(1);
    assertThat(s.step("a").orElseThrow().status()).isEqualTo(StepStatus.FAILED);
  }

  @Test
  void timeoutStopsTheAttemptAndIsRetriedWhenListed() throws Exception {
    target.inPlace().hangNext();
    target.inPlace().hangNext();
    Plan plan =
        job()
            .step("a", fake)
            .timeout(Duration.ofMillis(300))
            .retry(2, Duration.ofMillis(10), ErrorClass.TIMEOUT)
            .build();
    RunResult r = engine.apply(plan);
    assertThat(r.status()).isEqualTo(RunStatus.FAILED);
    RunState s = engine.state(r.runId());
    assertThat(s.step("a").orElseThrow().attempts()).isEqualTo(2);
    assertThat(s.step("a").orElseThrow().errorClass()).contains("timeout");
    assertThat(s.step("a").orElseThrow().message()).contains("timeout of 300ms");
    assertThat(target.inPlace().stopped()).isEqualTo(2);
  }

  @Test
  void alwaysAndOnFailureRunAfterAFailureAndSkipsPropagate() throws Exception {
    target.inPlace().exitNext(3);
    Plan plan =
        job()
            .step("a", fake)
            .step("b", fake)
            .step("c", fake)
            .step("cleanup", fake)
            .when(When.ALWAYS)
            .step("notify", fake)
            .needs("a")
            .when(When.ON_FAILURE)
            .step("after", fake)
            .needs("cleanup")
            .build();
    RunResult r = engine.apply(plan);
    assertThat(r.status()).isEqualTo(RunStatus.FAILED);
    RunState s = engine.state(r.runId());
    assertThat(s.step("a").orElseThrow().status()).isEqualTo(StepStatus.FAILED);
    assertThat(s.step("b").orElseThrow().status()).isEqualTo(StepStatus.SKIPPED);
    assertThat(s.step("b").orElseThrow().message()).contains("'a'");
    assertThat(s.step("c").orElseThrow().status()).isEqualTo(StepStatus.SKIPPED);
    assertThat(s.step("c").orElseThrow().message()).contains("'b', which was skipped");
    assertThat(s.step("cleanup").orElseThrow().status()).isEqualTo(StepStatus.SUCCEEDED);
    assertThat(s.step("notify").orElseThrow().status()).isEqualTo(StepStatus.SUCCEEDED);
    assertThat(s.step("after").orElseThrow().status()).isEqualTo(StepStatus.SKIPPED);
  }

  @Test
  void onFailureStepsAreSkippedWhenNothingFails() throws Exception {
    Plan plan = job().step("a", fake).step("notify", fake).when(When.ON_FAILURE).build();
    RunResult r = engine.apply(plan);
    assertThat(r.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(engine.state(r.runId()).step("notify").orElseThrow().status())
        .isEqualTo(StepStatus.SKIPPED);
  }

  @Test
  void outputsFlowIntoLaterStepsAndSecretsAreMasked() throws Exception {
    engine.processEnv(Map.of("TOKEN", "s3cr3t-value"));
    Plan plan =
        job()
            .step("a", fake)
            .with("outputs", Map.of("value", "42"))
            .step("b", fake)
            .with("cmd", "got-${{ steps.a.outputs.value }}-${{ run.id }}")
            .env("TOKEN", "${{ env.TOKEN }}")
            .step("c", fake)
            .with("cmd", "${{ env.TOKEN }}")
            .build();
    RunResult r = engine.apply(plan);
    assertThat(r.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(target.inPlace().commands().get(1).argv()).containsExactly("got-42-" + r.runId());
    assertThat(target.inPlace().commands().get(1).env())
        .containsEntry("TOKEN", "s3cr3t-value")
        .containsEntry("RUNCTL_STEP_ID", "b")
        .containsEntry("RUNCTL_ATTEMPT", "1")
        .containsEntry("RUNCTL_RUN_ID", r.runId());
    assertThat(engine.state(r.runId()).step("a").orElseThrow().outputs())
        .containsEntry("value", "42");
    Path runDir = engine.store().existing(r.runId()).dir();
    assertThat(Files.readString(runDir.resolve("logs/c.log")))
        .contains("***")
        .doesNotContain("s3cr3t-value");
    assertThat(Files.readString(runDir.resolve("journal.jsonl"))).doesNotContain("s3cr3t-value");
  }

  @Test
  void resumeComputesAgainOutputsThatHeldASecret() throws Exception {
    engine.processEnv(Map.of("TOKEN", "s3cr3t-value"));
    target.inPlace().exitNext(0).exitNext(1);
    Plan plan =
        job()
            .step("a", fake)
            .with("outputs", Map.of("value", "${{ env.TOKEN }}-x"))
            .step("b", fake)
            .with("cmd", "${{ steps.a.outputs.value }}")
            .build();
    RunResult first = engine.apply(plan);
    assertThat(first.status()).isEqualTo(RunStatus.FAILED);

    RunResult second = engine.resume(plan, first.runId(), false);

    assertThat(second.status()).isEqualTo(RunStatus.SUCCEEDED);
    var commands = target.inPlace().commands();
    assertThat(commands.get(commands.size() - 1).argv())
        .as("b gets the real value, not the masked one the journal keeps")
        .containsExactly("s3cr3t-value-x");
    Path runDir = engine.store().existing(first.runId()).dir();
    assertThat(Files.readString(runDir.resolve("journal.jsonl"))).doesNotContain("s3cr3t-value");
    assertThat(engine.state(first.runId()).warnings()).anyMatch(w -> w.contains("held a secret"));
    List<RunEvent.StepEnded> ends =
        engine.events().stream()
            .filter(e -> e instanceof RunEvent.StepEnded s && s.step().equals("a"))
            .map(RunEvent.StepEnded.class::cast)
            .toList();
    assertThat(ends).as("a ended in the apply and again in the resume").hasSize(2);
    assertThat(ends)
        .as("the events that --output json prints, of apply and of resume")
        .allSatisfy(e -> assertThat(e.outputs()).containsEntry("value", "***-x"));
  }

  @Test
  void cancelStopsRunningStepsRunsAlwaysStepsAndEndsCancelled() throws Exception {
    var entered = target.inPlace().hangNext();
    RunControl control = new RunControl();
    WhenEntered.start(entered, () -> control.cancel("cancelled by Ctrl+C"));
    Plan plan =
        job().step("a", fake).step("b", fake).step("teardown", fake).when(When.ALWAYS).build();
    RunResult r = engine.apply(plan, control);
    assertThat(r.status()).isEqualTo(RunStatus.CANCELLED);
    RunState s = engine.state(r.runId());
    assertThat(s.step("a").orElseThrow().status()).isEqualTo(StepStatus.CANCELLED);
    assertThat(s.step("b").orElseThrow().status()).isEqualTo(StepStatus.SKIPPED);
    assertThat(s.step("teardown").orElseThrow().status()).isEqualTo(StepStatus.SUCCEEDED);
    assertThat(target.inPlace().stopped()).isEqualTo(1);
  }

  @Test
  void aBudgetBreachStopsTheRunAndRunsAlwaysSteps() throws Exception {
    FakeClock clock = new FakeClock();
    engine.clock(clock);
    var entered = target.inPlace().hangNext();
    WhenEntered.start(entered, () -> clock.advance(Duration.ofHours(2)));
    Plan plan =
        job()
            .maxDuration(Duration.ofHours(1))
            .step("train", fake)
            .step("teardown", fake)
            .when(When.ALWAYS)
            .build();
    RunResult r = engine.apply(plan);
    assertThat(r.status()).isEqualTo(RunStatus.FAILED);
    assertThat(r.reason()).contains("max_duration 1h exceeded");
    RunState s = engine.state(r.runId());
    assertThat(s.step("train").orElseThrow().status()).isEqualTo(StepStatus.CANCELLED);
    assertThat(s.step("teardown").orElseThrow().status()).isEqualTo(StepStatus.SUCCEEDED);
    assertThat(s.warnings()).anyMatch(w -> w.contains("budget"));
  }

  @Test
  void maxCostUsesTheTargetsCost() throws Exception {
    FakeClock clock = new FakeClock();
    engine.clock(clock);
    target.pricePerHour(new java.math.BigDecimal("2.00"));
    target.onProvision(m -> m.exitNext(0).hangNext());
    Thread advancer =
        new Thread(
            () -> {
              while (target.current().isEmpty() || target.current().get().commands().size() < 2) {
                Thread.onSpinWait();
              }
              clock.advance(Duration.ofHours(3));
            });
    advancer.start();
    Plan plan =
        job()
            .maxCost(new java.math.BigDecimal("5"))
            .step("provision", new FakeStep("prov", true))
            .with("provision", true)
            .step("train", fake)
            .build();
    RunResult r = engine.apply(plan);
    assertThat(r.status()).isEqualTo(RunStatus.FAILED);
    assertThat(r.reason()).contains("max_cost $5 exceeded (spent $6.00)");
  }

  @Test
  void resumeKeepsSucceededStepsAndContinuesAttemptNumbers() throws Exception {
    target.inPlace().exitNext(0).exitNext(1);
    Plan plan = job().step("a", fake).step("b", fake).build();
    RunResult first = engine.apply(plan);
    assertThat(first.status()).isEqualTo(RunStatus.FAILED);
    int before = target.inPlace().commands().size();
    RunResult second = engine.resume(plan, first.runId(), false);
    assertThat(second.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(target.inPlace().commands()).hasSize(before + 1);
    RunState s = engine.state(first.runId());
    assertThat(s.step("b").orElseThrow().attempts()).isEqualTo(2);
    assertThat(s.resumes()).isEqualTo(1);
  }

  @Test
  void changedInputsStopResumeUnlessRerunChanged() throws Exception {
    target.inPlace().exitNext(0).exitNext(1);
    Plan v1 = job().step("a", fake).with("fingerprint", "v1").step("b", fake).build();
    RunResult first = engine.apply(v1);
    Plan v2 = job().step("a", fake).with("fingerprint", "v2").step("b", fake).build();
    assertThatThrownBy(() -> engine.resume(v2, first.runId(), false))
        .isInstanceOf(ChangedInputsException.class)
        .hasMessageContaining("'a'")
        .satisfies(
            e ->
                assertThat(((ChangedInputsException) e).hint())
                    .hasValueSatisfying(h -> assertThat(h).contains("--rerun-changed")));
    RunResult again = engine.resume(v2, first.runId(), true);
    assertThat(again.status()).isEqualTo(RunStatus.SUCCEEDED);
    RunState s = engine.state(first.runId());
    assertThat(s.step("a").orElseThrow().attempts()).isEqualTo(2);
    assertThat(s.step("a").orElseThrow().fingerprint()).contains("v2");
  }

  @Test
  void anInterruptionRerunsMachineStateStepsBeforeTheRetry() throws Exception {
    target.onProvision(m -> m.exitNext(0).failNext(ErrorClass.INTERRUPTION, true));
    StepType<?> prov = new FakeStep("prov", true);
    Plan plan =
        job()
            .step("provision", prov)
            .with("provision", true)
            .step("train", fake)
            .retry(2, Duration.ofMillis(10))
            .build();
    RunResult r = engine.apply(plan);
    assertThat(r.status()).isEqualTo(RunStatus.SUCCEEDED);
    RunState s = engine.state(r.runId());
    assertThat(s.step("provision").orElseThrow().attempts()).isEqualTo(2);
    assertThat(s.step("train").orElseThrow().attempts()).isEqualTo(2);
  }

  /** A teardown: gives the machine back. */
  static class ReleasingStep extends FakeStep {
    ReleasingStep() {
      super("release", false);
    }

    @Override
    public boolean releasesMachine() {
      return true;
    }

    @Override
    public StepResult execute(Config config, StepContext ctx) throws Exception {
      ctx.target().destroy(ctx.log());
      return StepResult.of(Map.of());
    }
  }

  @Test
  void resumeAfterTeardownSetsTheMachineUpAgainAndTearsItDownAgain() throws Exception {
    java.util.concurrent.atomic.AtomicInteger machines =
        new java.util.concurrent.atomic.AtomicInteger();
    target.onProvision(
        m -> {
          if (machines.incrementAndGet() == 1) {
            m.exitNext(0).exitNext(0).exitNext(1);
          }
        });
    Plan plan =
        job()
            .step("provision", new FakeStep("prov", true))
            .with("provision", true)
            .step("sync", new FakeStep("sync", true))
            .step("train", fake)
            .step("report", fake)
            .needs()
            .with("done", true)
            .step("teardown", new ReleasingStep())
            .needs("train")
            .when(When.ALWAYS)
            .build();
    RunResult first = engine.apply(plan);
    assertThat(first.status()).isEqualTo(RunStatus.FAILED);
    assertThat(target.current()).isEmpty();

    RunResult second = engine.resume(plan, first.runId(), false);

    assertThat(second.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(target.machinesMade()).isEqualTo(2);
    assertThat(target.current()).as("the second machine is torn down too").isEmpty();
    RunState s = engine.state(first.runId());
    assertThat(s.step("provision").orElseThrow().attempts()).isEqualTo(2);
    assertThat(s.step("sync").orElseThrow().attempts()).isEqualTo(2);
    assertThat(s.step("teardown").orElseThrow().attempts()).isEqualTo(2);
    assertThat(s.step("report").orElseThrow().attempts())
        .as("a succeeded step that sets nothing up is kept")
        .isEqualTo(1);
    assertThat(s.warnings())
        .anyMatch(w -> w.contains("machine was given back: setting it up again"));
  }

  @Test
  void aTeardownWaitsForEveryStepNotDownstreamOfItBeforeGivingTheMachineBack() throws Exception {
    List<String> seen = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    StepType<?> slow =
        new FakeStep("slow", false) {
          @Override
          public StepResult execute(Config config, StepContext ctx) throws Exception {
            seen.add("slow started");
            Thread.sleep(300);
            seen.add("slow ended");
            return StepResult.of(Map.of());
          }
        };
    StepType<?> teardown =
        new ReleasingStep() {
          @Override
          public StepResult execute(Config config, StepContext ctx) throws Exception {
            seen.add("teardown started");
            return super.execute(config, ctx);
          }
        };
    Plan plan =
        job()
            .step("provision", new FakeStep("prov", true))
            .with("provision", true)
            .step("quick", fake)
            .step("slow", slow)
            .needs("provision")
            .step("teardown", teardown)
            .needs("quick")
            .when(When.ALWAYS)
            .build();

    assertThat(engine.apply(plan).status()).isEqualTo(RunStatus.SUCCEEDED);

    assertThat(seen)
        .as("the teardown needs only 'quick', but 'slow' still uses the machine")
        .containsExactly("slow started", "slow ended", "teardown started");
  }

  @Test
  void twoStepsThatGiveTheMachineBackInParallelBranchesRunOneAfterTheOther() throws Exception {
    Plan plan =
        job()
            .step("provision", new FakeStep("prov", true))
            .with("provision", true)
            .step("a", fake)
            .step("release-a", new ReleasingStep())
            .step("b", fake)
            .needs("provision")
            .step("release-b", new ReleasingStep())
            .build();

    assertThat(engine.apply(plan).status()).isEqualTo(RunStatus.SUCCEEDED);

    List<String> order =
        engine.journal(engine.store().list().get(0).runId()).stream()
            .filter(r -> r instanceof JournalRecord.StepEnded)
            .map(r -> ((JournalRecord.StepEnded) r).step())
            .toList();
    assertThat(order).endsWith("release-a", "release-b");
  }

  @Test
  void resumeOfAFinishedRunRunsNothingAgain() throws Exception {
    Plan plan =
        job()
            .step("provision", new FakeStep("prov", true))
            .with("provision", true)
            .step("teardown", new ReleasingStep())
            .when(When.ALWAYS)
            .build();
    RunResult first = engine.apply(plan);
    assertThat(first.status()).isEqualTo(RunStatus.SUCCEEDED);
    RunResult second = engine.resume(plan, first.runId(), false);
    assertThat(second.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(target.machinesMade()).isEqualTo(1);
    assertThat(engine.state(first.runId()).step("teardown").orElseThrow().attempts()).isEqualTo(1);
  }

  @Test
  void destroyTearsDownWhatTheRunMadeAndSaysWhatIsLeft() throws Exception {
    Plan plan = job().step("provision", new FakeStep("prov", true)).with("provision", true).build();
    RunResult r = engine.apply(plan);
    assertThat(target.current()).isPresent();
    var run = engine.store().open(r.runId(), java.time.Instant.now());
    List<String> left;
    try {
      var spec =
          new dev.runctl.engine.spec.SpecLoader.SpecTarget(
              plan.targetProvider(), plan.targetConfig(), plan.job().workdir());
      left = new RunExecutor(engine.settings()).destroy(spec, run);
    } finally {
      run.close();
    }
    assertThat(left).isEmpty();
    assertThat(target.destroyed()).isTrue();
    // nothing left is the expected end: said in the destroy log, not as a warning
    assertThat(engine.state(r.runId()).warnings()).noneMatch(w -> w.contains("runctl destroy"));
    assertThat(java.nio.file.Files.readString(engine.store().folder(r.runId()).log("destroy")))
        .contains("nothing of run " + r.runId() + " is left");
  }

  @Test
  void unclassifiedExceptionsAreInternalErrorsNotRetried() throws Exception {
    StepType<?> broken =
        new FakeStep("broken", false) {
          @Override
          public StepResult execute(Config config, StepContext ctx) {
            throw new IllegalStateException("boom");
          }
        };
    Plan plan = job().step("a", broken).retry(3, Duration.ofMillis(10)).build();
    RunResult r = engine.apply(plan);
    dev.runctl.engine.state.StepState a = engine.state(r.runId()).step("a").orElseThrow();
    assertThat(a.attempts()).isEqualTo(1);
    assertThat(a.message()).contains("internal error").contains("boom").contains("not retried");
  }
}
