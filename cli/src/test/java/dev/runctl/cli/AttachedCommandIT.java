package dev.runctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An attached {@code run} step's command dies with its runctl, kill -9 included (the local target's
 * spawn helper stops it), and {@code resume} re-enters the step through {@code creates:}.
 */
class AttachedCommandIT {
  @TempDir Path dir;

  @Test
  void killMinus9OfRunctlStopsTheRunningCommandAndResumeFinishesTheStep() throws Exception {
    Runctl runctl = new Runctl(dir);
    Path spec =
        runctl.spec(
            "attached.yaml",
            """
            version: 1
            name: attached
            steps:
              - id: long
                uses: run
                with:
                  shell: "if [ -f marker ]; then touch done; exit 0; fi; touch marker; \
            sh -c 'echo $$ > child.pid; exec sleep 300'"
                  creates: done
            """);
    Runctl.Running p = runctl.start("apply", spec.toString());
    String runId = p.runId(Duration.ofSeconds(60));
    Path pidFile = dir.resolve("child.pid");
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!(Files.exists(pidFile) && !Files.readString(pidFile).isBlank())) {
      assertThat(System.nanoTime()).as("the command started").isLessThan(deadline);
      assertThat(p.process.isAlive()).as("runctl is running: %s", p.stderr()).isTrue();
      Thread.sleep(20);
    }
    long child = Long.parseLong(Files.readString(pidFile).trim());
    assertThat(ProcessHandle.of(child)).isPresent();

    p.process.destroyForcibly(); // SIGKILL: no shutdown hook, no cleanup in runctl
    p.process.waitFor();

    deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false)) {
      assertThat(System.nanoTime())
          .as("the command (pid %d) died with its runctl", child)
          .isLessThan(deadline);
      Thread.sleep(50);
    }

    Runctl.Result r = runctl.run("resume", runId);
    assertThat(r.exitCode()).as("%s", r).isZero();
    assertThat(dir.resolve("done")).exists();
  }
}
