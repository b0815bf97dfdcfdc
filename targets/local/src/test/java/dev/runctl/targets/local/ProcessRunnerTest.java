package dev.runctl.targets.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runctl.engine.testing.RecordingLog;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessRunnerTest {
  @TempDir Path tmp;

  /** A command that ignores SIGTERM (so does its child, which inherits the ignored signal). */
  private static final List<String> STUBBORN =
      List.of("sh", "-c", "trap '' TERM; echo ready; sleep 120; echo never");

  @Test
  void aSecondInterruptCutsTheGracePeriodShort() throws Exception {
    ProcessRunner runner = new ProcessRunner(Duration.ofMinutes(2));
    RecordingLog log = new RecordingLog(tmp.resolve("logs/step.log"));
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread t =
        new Thread(
            () -> {
              try {
                runner.run(STUBBORN, Map.of(), tmp, log);
              } catch (Throwable e) {
                thrown.set(e);
              }
            });
    t.start();
    awaitOutput(log, "ready");

    t.interrupt(); // first Ctrl+C: SIGTERM, which the command ignores; the grace period runs
    t.join(1500);
    assertThat(t.isAlive()).as("still in the two-minute grace period").isTrue();

    long second = System.nanoTime();
    t.interrupt(); // second Ctrl+C: SIGKILL now
    t.join(Duration.ofSeconds(30).toMillis());
    assertThat(t.isAlive()).isFalse();
    assertThat(Duration.ofNanos(System.nanoTime() - second)).isLessThan(Duration.ofSeconds(30));
    assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
    assertThat(log.text()).doesNotContain("never");
  }

  @Test
  void stopGroupKeepsTheCallersInterruptStatus() throws Exception {
    ProcessRunner runner = new ProcessRunner(Duration.ofSeconds(1));
    long pid = runner.spawnDetached(List.of("sleep", "60"), Map.of(), tmp);
    Thread.currentThread().interrupt();
    runner.stopGroup(pid, Duration.ofSeconds(10), () -> ProcessRunner.startTime(pid).isEmpty());
    assertThat(Thread.interrupted()).isTrue();
    assertThat(ProcessRunner.startTime(pid)).isEmpty();
  }

  private static void awaitOutput(RecordingLog log, String text) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!log.text().contains(text)) {
      assertThat(System.nanoTime()).as("output '" + text + "' within 30s").isLessThan(deadline);
      Thread.sleep(20);
    }
  }
}
