package dev.runctl.steps.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runctl.engine.exec.RunResult;
import dev.runctl.engine.state.StepState;
import dev.runctl.steps.testing.SpecRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What train and run steps leave behind, through the real spec loader, executor and local target: a
 * training's child in a session of its own and a run step's background {@code sleep} are stopped by
 * the teardown, the run step does not wait for the sleep, and the training's raw output copy in the
 * state folder holds no secret.
 */
class LeftBehindStepsTest {
  @TempDir Path project;
  private final List<Long> pids = new ArrayList<>();

  @AfterEach
  void killLeftovers() {
    pids.forEach(p -> ProcessHandle.of(p).ifPresent(ProcessHandle::destroyForcibly));
  }

  private long pid(Path file) throws Exception {
    long pid = Long.parseLong(Files.readString(file).trim());
    pids.add(pid);
    return pid;
  }

  private static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  @Test
  void aTrainingsChildInASessionOfItsOwnIsStoppedByTheTeardown() throws Exception {
    SpecRun run = new SpecRun(project);
    Path pidFile = project.resolve("escaped.pid");
    run.write(
        "escape.py",
        """
        import subprocess, sys
        child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(300)"],
                                 start_new_session=True)
        open(%s, "w").write(str(child.pid))
        print("started a child and exiting", flush=True)
        """
            .formatted("\"" + pidFile + "\""));
    RunResult r =
        run.apply(
            """
            version: 1
            name: escape
            steps:
              - {id: provision, uses: provision}
              - {id: sync, uses: sync}
              - {id: train, uses: train, with: {script: escape.py}}
              - {id: teardown, uses: teardown, when: always}
            """);
    run.assertStatus(r, "succeeded");
    long child = pid(pidFile);
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (alive(child) && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(alive(child)).as("the escaped child after the teardown").isFalse();
    assertThat(run.log(r.runId(), "teardown")).contains("stopping process " + child);
  }

  @Test
  void aRunStepEndsWithItsCommandAndItsBackgroundSleepIsStoppedByTheTeardown() throws Exception {
    SpecRun run = new SpecRun(project);
    RunResult r =
        run.apply(
            """
            version: 1
            name: background
            steps:
              - id: bg
                uses: run
                with: {shell: "sleep 120 & echo $! > bg.pid; echo started"}
              - {id: teardown, uses: teardown, needs: [bg], when: always}
            """);
    run.assertStatus(r, "succeeded");
    long sleep = pid(project.resolve("bg.pid"));
    StepState bg = run.step(r.runId(), "bg");
    assertThat(Duration.between(bg.startedAt().orElseThrow(), bg.endedAt().orElseThrow()))
        .isLessThan(Duration.ofSeconds(4));
    assertThat(run.log(r.runId(), "bg")).contains("started");
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (alive(sleep) && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(alive(sleep)).as("the background sleep after the teardown").isFalse();
  }

  @Test
  void theTrainingsRawOutputCopyHoldsNoSecret() throws Exception {
    SpecRun run = new SpecRun(project);
    String token = "hf_9c2d7e41a0b3f58e";
    Map<String, String> env = new HashMap<>(System.getenv());
    env.put("RUNCTL_TEST_TOKEN", token);
    run.harness().processEnv(env);
    run.write(
        "leak.py",
        """
        import os
        print("token is", os.environ["HF_TOKEN"], flush=True)
        """);
    RunResult r =
        run.apply(
            """
            version: 1
            name: secret
            env: {HF_TOKEN: "${{ env.RUNCTL_TEST_TOKEN }}"}
            steps:
              - {id: provision, uses: provision}
              - {id: sync, uses: sync}
              - {id: train, uses: train, with: {script: leak.py}}
            """);
    run.assertStatus(r, "succeeded");
    Path copy = run.runDir(r.runId()).resolve("procs/train-train/output.log");
    assertThat(Files.readString(copy)).isEqualTo("token is ***\n");
    assertThat(run.log(r.runId(), "train")).contains("token is ***").doesNotContain(token);
  }
}
