package dev.runctl.steps.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runctl.engine.spi.CommandSpec;
import dev.runctl.engine.spi.DetachedProcess;
import dev.runctl.engine.spi.DetachedSpec;
import dev.runctl.engine.spi.Machine;
import dev.runctl.engine.spi.StepResult;
import dev.runctl.steps.testing.DirectContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a train attempt does when the run's facts already hold a handle from an earlier runctl. */
class TrainReattachTest {
  @TempDir Path tmp;

  private static final String SCRIPT =
      """
      import os, sys, time
      with open("starts.txt", "a") as f:
          f.write("%d\\n" % os.getpid())
      print("started", flush=True)
      while not os.path.exists("release"):
          time.sleep(0.05)
      print("finished", flush=True)
      sys.exit(int(sys.argv[1]))
      """;

  private TrainStep.Config config(String code) {
    return new TrainStep.Config("job.py", List.of(code), "checkpoints", Optional.empty());
  }

  @Test
  void aNewAttemptReattachesToTheProcessThatIsStillRunning() throws Exception {
    Path work = Files.createDirectories(tmp.resolve("work"));
    Files.writeString(work.resolve("job.py"), SCRIPT);
    DirectContext run = new DirectContext(work, tmp.resolve("run"));
    // An earlier runctl started it and recorded the handle, then died.
    Machine earlier = run.openTarget().machine();
    DetachedProcess p =
        earlier.start(
            new DetachedSpec(
                "train-train",
                CommandSpec.of(List.of("python3", "job.py", "0"), Map.of()),
                Optional.of("checkpoints")));
    run.facts().put(TrainStep.handleFact("train"), p.handle());
    run.facts().put(TrainStep.startedFact("train"), "2026-11-23T12:00:05Z");
    waitFor(() -> Files.exists(work.resolve("starts.txt")));

    AtomicReference<StepResult> result = new AtomicReference<>();
    AtomicReference<Throwable> error = new AtomicReference<>();
    Thread attempt =
        new Thread(
            () -> {
              try {
                result.set(new TrainStep().execute(config("0"), run.step("train", 2, List.of())));
              } catch (Throwable e) {
                error.set(e);
              }
            });
    attempt.start();
    waitFor(() -> run.logText("train").contains("reattached"));
    Files.writeString(work.resolve("release"), "");
    attempt.join(30_000);
    assertThat(error.get()).isNull();
    assertThat(result.get().outputs()).containsEntry("exit_code", "0");
    assertThat(Files.readAllLines(work.resolve("starts.txt"))).hasSize(1); // never started twice
    assertThat(run.logText("train"))
        .containsPattern("reattached to the training started at 2026-11-2[34] \\d\\d:\\d\\d:05 ")
        .contains("which is still running (" + p.handle() + ")")
        .contains("finished");
  }

  @Test
  void anAttemptAfterTheProcessDiedStartsANewOne() throws Exception {
    Path work = Files.createDirectories(tmp.resolve("work"));
    Files.writeString(work.resolve("job.py"), SCRIPT);
    Files.writeString(work.resolve("release"), "");
    DirectContext run = new DirectContext(work, tmp.resolve("run"));
    DetachedProcess p =
        run.openTarget()
            .machine()
            .start(
                new DetachedSpec(
                    "train-train",
                    CommandSpec.of(List.of("python3", "job.py", "9"), Map.of()),
                    Optional.empty()));
    run.facts().put(TrainStep.handleFact("train"), p.handle());
    while (p.poll(0).exitCode().isEmpty()) {
      Thread.sleep(20);
    }

    StepResult r = new TrainStep().execute(config("0"), run.step("train", 2, List.of()));
    assertThat(r.outputs()).containsEntry("exit_code", "0");
    assertThat(Files.readAllLines(work.resolve("starts.txt"))).hasSize(2);
    assertThat(run.logText("train")).contains("ended with exit code 9; starting a new one");
    assertThat(run.facts().get(TrainStep.handleFact("train")))
        .isNotEqualTo(Optional.of(p.handle()));
  }

  static void waitFor(java.util.function.BooleanSupplier c) throws Exception {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (!c.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within 30s");
      }
      Thread.sleep(20);
    }
  }
}
