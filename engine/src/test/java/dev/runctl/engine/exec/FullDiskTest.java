package dev.runctl.engine.exec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runctl.engine.plan.Plan;
import dev.runctl.engine.state.RunStatus;
import dev.runctl.engine.state.StepState;
import dev.runctl.engine.testing.EngineHarness;
import dev.runctl.engine.testing.FakeStep;
import dev.runctl.engine.testing.FakeTarget;
import dev.runctl.engine.testing.FakeTargetProvider;
import dev.runctl.engine.testing.TestPlans;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A step log on a full file system, through the executor: /dev/full answers writes ENOSPC. */
class FullDiskTest {
  @TempDir Path dir;

  @Test
  void aStepLogOnAFullDiskFailsTheStepSayingWhyAndWhatToFreeNotAsAnInternalError()
      throws Exception {
    FakeTarget target = new FakeTarget();
    EngineHarness engine = new EngineHarness(dir.resolve("state"));
    target.inPlace().exitNext(1).exitNext(1);
    Plan plan =
        TestPlans.job("demo", dir)
            .target(new FakeTargetProvider(target))
            .step("a", new FakeStep())
            .build();
    RunResult first = engine.apply(plan);
    assertThat(first.status()).isEqualTo(RunStatus.FAILED);
    Path log = engine.store().existing(first.runId()).log("a");
    Files.deleteIfExists(log);
    Files.createSymbolicLink(log, Path.of("/dev/full"));

    RunResult second = engine.resume(plan, first.runId(), false);

    assertThat(second.status()).isEqualTo(RunStatus.FAILED);
    StepState a = engine.state(first.runId()).step("a").orElseThrow();
    assertThat(a.message())
        .contains("cannot write the step log " + log)
        .contains("No space left on device")
        .doesNotContain("internal error");
    assertThat(engine.events())
        .filteredOn(RunEvent.AttemptFailed.class::isInstance)
        .map(RunEvent.AttemptFailed.class::cast)
        .last()
        .satisfies(
            f -> {
              assertThat(f.retryIn()).as("not retried: a retry meets the same full disk").isEmpty();
              assertThat(f.hint())
                  .hasValueSatisfying(
                      h ->
                          assertThat(h)
                              .contains(
                                  "free space on the file system that holds " + log.getParent())
                              .doesNotContain("transient"));
            });
  }
}
