package dev.runctl.steps.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runctl.engine.metrics.Metrics;
import dev.runctl.engine.spi.StepContext;
import dev.runctl.engine.testing.FakeMachine;
import dev.runctl.steps.testing.DirectContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The metrics follower against a file that grows between polls, on a machine in memory. */
class MetricsFollowerTest {
  @TempDir Path tmp;
  private static final String FILE = "checkpoints/runctl-metrics.jsonl";

  private final FakeMachine machine = new FakeMachine("m1");
  private DirectContext run;
  private StepContext ctx;

  private MetricsFollower follower() throws Exception {
    if (run == null) {
      run = new DirectContext(Files.createDirectories(tmp.resolve("work")), tmp.resolve("run"));
      ctx = run.step("train", 1, List.of());
    }
    return new MetricsFollower(machine, FILE, ctx);
  }

  private List<String> copied() throws Exception {
    return Files.readAllLines(Metrics.file(tmp.resolve("run"), "train"));
  }

  @Test
  void aLineWrittenAcrossTwoPollsIsCopiedOnceWholeAndEachByteIsReadOnce() throws Exception {
    MetricsFollower f = follower();
    machine.put(FILE, "{\"step\": 1, \"loss\": 0.5}\n{\"step\": 2, \"lo");
    f.poll();
    assertThat(copied()).containsExactly("{\"step\": 1, \"loss\": 0.5}");
    assertThat(run.logText("train")).contains("step 1: loss 0.5").doesNotContain("step 2");

    machine.append(FILE, "ss\": 0.4}\n");
    f.poll();
    f.poll(); // nothing new
    assertThat(copied())
        .containsExactly("{\"step\": 1, \"loss\": 0.5}", "{\"step\": 2, \"loss\": 0.4}");
    assertThat(run.logText("train")).contains("step 2: loss 0.4");
    // each poll read only what the file grew by, not the whole file again
    long size = machine.read(FILE, 1 << 20).orElseThrow().length;
    assertThat(machine.bytesRead() - size).isEqualTo(size);
  }

  @Test
  void aFollowerMadeAgainGoesOnFromTheMarkedOffsetWithoutTheUnfinishedLine() throws Exception {
    machine.put(FILE, "{\"step\": 1, \"loss\": 0.5}\n{\"step\": 2, \"loss\"");
    follower().poll();
    machine.append(FILE, ": 0.4}\n{\"step\": 3, \"loss\": 0.3}\n");
    follower().poll(); // a runctl started again: it knows only the mark
    assertThat(copied())
        .containsExactly(
            "{\"step\": 1, \"loss\": 0.5}",
            "{\"step\": 2, \"loss\": 0.4}",
            "{\"step\": 3, \"loss\": 0.3}");
  }

  @Test
  void aFileThatShrankIsCopiedAgainFromItsStartAndReadOncePerStep() throws Exception {
    MetricsFollower f = follower();
    machine.put(FILE, "{\"step\": 1, \"loss\": 0.5}\n{\"step\": 2, \"loss\": 0.4}\n{\"st");
    f.poll();
    // a new machine: the checkpoints came back with a shorter file, and training goes on
    machine.put(FILE, "{\"step\": 1, \"loss\": 0.5}\n{\"step\": 2, \"loss\": 0.45}\n");
    f.poll();
    assertThat(copied()).hasSize(4);
    assertThat(Metrics.readFile(Metrics.file(tmp.resolve("run"), "train")))
        .extracting(p -> p.values().get("loss"))
        .containsExactly(0.5, 0.45);
  }

  @Test
  void aReadThatFailsDoesNotFailTheTrainingAndTheLinesComeAtTheNextPoll() throws Exception {
    MetricsFollower f = follower();
    machine.put(FILE, "{\"step\": 1, \"loss\": 0.5}\n");
    machine.failNextReads(2);
    f.poll(); // the connection dropped (sshd restarting): the process's own poll waits for it
    f.poll();
    assertThat(run.logText("train")).containsOnlyOnce("could not read the metrics");
    f.poll();
    assertThat(copied()).containsExactly("{\"step\": 1, \"loss\": 0.5}");
  }
}
