package dev.runctl.steps.train;

import static dev.runctl.steps.train.TrainReattachTest.waitFor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runctl.engine.spi.StepResult;
import dev.runctl.steps.testing.DirectContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * runctl killed after the train step started its process and before the process's handle reached
 * the journal: the next attempt (a resume) finds the process by its name and follows it; the
 * training is started once.
 */
class TrainKilledAtStartTest {
  @TempDir Path tmp;

  private static final String SCRIPT =
      """
      import os, sys, time
      with open("starts.txt", "a") as f:
          f.write("%d\\n" % os.getpid())
      while not os.path.exists("release"):
          time.sleep(0.05)
      print("finished", flush=True)
      """;

  private static final TrainStep.Config CONFIG =
      new TrainStep.Config("job.py", List.of(), "checkpoints", Optional.empty());

  @Test
  void aResumeFollowsTheTrainingAKilledRunctlStartedWithoutItsHandle() throws Exception {
    Path work = Files.createDirectories(tmp.resolve("work"));
    Files.writeString(work.resolve("job.py"), SCRIPT);
    DirectContext run = new DirectContext(work, tmp.resolve("run"));
    run.dieAtFact(TrainStep.handleFact("train"));
    assertThatThrownBy(() -> new TrainStep().execute(CONFIG, run.step("train", 1, List.of())))
        .isInstanceOf(DirectContext.Killed.class);
    assertThat(run.facts().get(TrainStep.handleFact("train"))).isEmpty();
    waitFor(() -> Files.exists(work.resolve("starts.txt")));

    run.revive();
    AtomicReference<StepResult> result = new AtomicReference<>();
    AtomicReference<Throwable> error = new AtomicReference<>();
    Thread resumed =
        new Thread(
            () -> {
              try {
                result.set(new TrainStep().execute(CONFIG, run.step("train", 2, List.of())));
              } catch (Throwable e) {
                error.set(e);
              }
            });
    resumed.start();
    waitFor(() -> run.logText("train").contains("reattached") || !resumed.isAlive());
    Files.writeString(work.resolve("release"), "");
    resumed.join(30_000);
    assertThat(error.get()).isNull();
    assertThat(result.get().outputs()).containsEntry("exit_code", "0");
    assertThat(Files.readAllLines(work.resolve("starts.txt"))).as("one training ever").hasSize(1);
    assertThat(run.facts().get(TrainStep.handleFact("train"))).isPresent();
  }
}
