package dev.runctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The six built-in steps through the real CLI in a separate process, on the local target, with the
 * real training script: end to end, and runctl killed with SIGKILL in the middle of train.
 */
class TrainingIT {
  @TempDir Path dir;
  Runctl runctl;

  @BeforeEach
  void setUp() throws IOException {
    runctl = new Runctl(dir);
    TrainingProject.withTraining(dir, "tiny_mlp.py", "requirements.txt");
  }

  private static String spec(String name, String args, String trainExtra) {
    return """
        version: 1
        name: %s
        env: {SEED: "7"}
        steps:
          - id: provision
            uses: provision
          - id: sync
            uses: sync
            with: {exclude: ["state/", "out-*.txt", "err-*.txt", "checkpoints/"]}
          - id: deps
            uses: deps
            with: {requirements: training/requirements.txt}
          - id: train
            uses: train
            %s
            with:
              script: training/tiny_mlp.py
              args: %s
              checkpoints: checkpoints
              progress_timeout: 1m
          - id: verify
            uses: verify
            with:
              files: ["checkpoints/*.json"]
              metrics: {file: checkpoints/metrics.json, expect: {accuracy: ">= 0.90"}}
          - id: teardown
            uses: teardown
            when: always
            with: {collect: ["checkpoints/"]}
        """
        .formatted(name, trainExtra, args);
  }

  @Test
  void theQuickstartSucceedsEndToEndAndASecondApplyReusesTheEnvironment() throws Exception {
    Path spec =
        runctl.spec(
            "job.yaml",
            spec(
                "tiny",
                "[\"--epochs\", \"8\", \"--run-name\", \"quickstart run\"]",
                "timeout: 5m"));
    Runctl.Result r = runctl.run("apply", spec.toString());
    assertThat(r.exitCode()).as(r.toString()).isZero();
    String runId = r.stdout().lines().findFirst().orElseThrow().substring(4);
    for (String step : new String[] {"provision", "sync", "deps", "train", "verify", "teardown"}) {
      assertThat(r.stdout()).contains(step + " succeeded");
    }
    Path artifacts = runctl.runDir(runId).resolve("artifacts/checkpoints");
    assertThat(artifacts.resolve("metrics.json")).content().contains("\"accuracy\": 0.99");
    assertThat(artifacts.resolve("ckpt-epoch-0008.json")).exists();
    assertThat(runctl.runDir(runId).resolve("workspace")).doesNotExist();

    Runctl.Result status = runctl.run("status", runId);
    assertThat(status.stdout()).containsPattern("train\\s+succeeded").doesNotContain("failed");
    Runctl.Result logs = runctl.run("logs", runId, "train");
    assertThat(logs.stdout()).contains("epoch 8/8").contains("'quickstart run'");

    Runctl.Result again = runctl.run("apply", spec.toString());
    assertThat(again.exitCode()).as(again.toString()).isZero();
    String second = again.stdout().lines().findFirst().orElseThrow().substring(4);
    assertThat(runctl.run("logs", second, "deps").stdout())
        .contains("reusing the virtual environment");
  }

  @Test
  void resumeAfterTheTeardownRanSetsUpANewWorkspaceAndTearsItDownAgain() throws Exception {
    Path marker = Files.writeString(dir.resolve("fail-once"), "");
    TrainingProject.failOnce(dir);
    // the marker lives in the workdir but is not synced: its removal changes no step's inputs
    String text =
        spec("once", "[\"" + marker + "\"]", "timeout: 5m")
            .replace("training/tiny_mlp.py", "training/once.py")
            .replace("\"checkpoints/\"]", "\"checkpoints/\", \"fail-once\"]");
    Path spec = runctl.spec("job.yaml", text);
    Runctl.Result first = runctl.run("apply", spec.toString());
    assertThat(first.exitCode()).as(first.toString()).isEqualTo(1);
    String runId = first.stdout().lines().findFirst().orElseThrow().substring(4);
    assertThat(first.stdout()).contains("teardown succeeded");
    assertThat(runctl.run("logs", runId, "teardown").stdout()).contains("kept checkpoints aside");
    assertThat(runctl.runDir(runId).resolve("workspace")).doesNotExist();

    Runctl.Result resumed = runctl.run("resume", runId);

    assertThat(resumed.exitCode()).as(resumed.toString()).isZero();
    assertThat(resumed.stdout())
        .contains("the machine was given back: setting it up again")
        .contains("provision succeeded")
        .contains("sync succeeded")
        .contains("train succeeded")
        .contains("verify succeeded")
        .contains("teardown succeeded");
    assertThat(runctl.runDir(runId).resolve("workspace"))
        .as("the second workspace is torn down too")
        .doesNotExist();
    assertThat(runctl.runDir(runId).resolve("artifacts/checkpoints/metrics.json")).exists();
    assertThat(runctl.run("logs", runId, "train").stdout())
        .as("the new workspace's training continues from the checkpoint the torn-down one made")
        .contains("resuming from checkpoint epoch 2");
  }

  @Test
  void aRunStoppedWithCtrlCResumesFromItsCheckpointsAfterTheTeardown() throws Exception {
    Path spec =
        runctl.spec(
            "job.yaml",
            spec("stopped", "[\"--epochs\", \"6\", \"--epoch-seconds\", \"1\"]", "timeout: 5m"));
    Runctl.Running apply = runctl.start("apply", spec.toString());
    String runId = apply.runId(Duration.ofSeconds(60));
    awaitContent(runctl.runDir(runId).resolve("logs/train.log"), "epoch 2/6");
    new ProcessBuilder("kill", "-INT", Long.toString(apply.pid())).start().waitFor();
    Runctl.Result stopped = apply.await(Duration.ofSeconds(90));
    assertThat(stopped.exitCode()).as(stopped.toString()).isEqualTo(130);
    assertThat(runctl.run("logs", runId, "teardown").stdout()).contains("kept checkpoints aside");

    Runctl.Result resumed = runctl.run("resume", runId);

    assertThat(resumed.exitCode()).as(resumed.toString()).isZero();
    assertThat(runctl.run("logs", runId, "train").stdout())
        .containsPattern("resuming from checkpoint epoch [2-6]")
        .contains("epoch 6/6");
  }

  @Test
  void killedDuringTrainThenResumedReattachesToTheSameProcess() throws Exception {
    Path spec =
        runctl.spec(
            "job.yaml",
            spec("reattach", "[\"--epochs\", \"6\", \"--epoch-seconds\", \"2\"]", "timeout: 5m"));
    Runctl.Running apply = runctl.start("apply", spec.toString());
    String runId = apply.runId(Duration.ofSeconds(60));
    Path output = runctl.runDir(runId).resolve("procs/train-train/output.log");
    // the first runctl has copied the first epoch into the step log when it dies, and recorded
    // how far it copied (the mark follows each copy: a kill between the two repeats those lines
    // on reattach, by design, rather than lose any)
    awaitContent(runctl.runDir(runId).resolve("logs/train.log"), "epoch 1/6");
    awaitCopiedPast(runctl.runDir(runId).resolve("logs/train.follow"), output, "epoch 1/6");
    new ProcessBuilder("kill", "-KILL", Long.toString(apply.pid())).start().waitFor();
    apply.process.waitFor();
    long trainPid = Long.parseLong(Files.readString(output.resolveSibling("child")).trim());
    assertThat(ProcessHandle.of(trainPid).map(ProcessHandle::isAlive)).hasValue(true);

    Runctl.Result resumed = runctl.run("resume", runId);
    assertThat(resumed.exitCode()).as(resumed.toString()).isZero();
    assertThat(resumed.stdout())
        .as("the console says that the training goes on, not that a new one started")
        .containsPattern("train: reattached to the training started at \\d{4}-\\d\\d-\\d\\d ")
        .contains("which is still running");
    String log = runctl.run("logs", runId, "train").stdout();
    assertThat(log).contains("reattached to the training started at").contains("epoch 6/6");
    assertThat(log.split("starting fresh", -1))
        .as("the reattached runctl goes on where the first stopped copying: no line twice")
        .hasSize(2);
    assertThat(log.split("epoch 1/6", -1)).hasSize(2);
    String out = Files.readString(output);
    assertThat(out).contains("starting fresh").doesNotContain("resuming from checkpoint");
    assertThat(Files.readString(output.resolveSibling("child")).trim())
        .isEqualTo(Long.toString(trainPid));
    assertThat(runctl.runDir(runId).resolve("artifacts/checkpoints/ckpt-epoch-0006.json")).exists();
  }

  @Test
  void logsFollowOfATrainingWhoseRunctlIsGoneFollowsItsLiveOutputUntilItEnds() throws Exception {
    Path spec =
        runctl.spec(
            "job.yaml",
            spec("orphan", "[\"--epochs\", \"5\", \"--epoch-seconds\", \"1\"]", "timeout: 5m"));
    Runctl.Running apply = runctl.start("apply", spec.toString());
    String runId = apply.runId(Duration.ofSeconds(60));
    Path output = runctl.runDir(runId).resolve("procs/train-train/output.log");
    awaitContent(runctl.runDir(runId).resolve("logs/train.log"), "epoch 1/5");
    new ProcessBuilder("kill", "-KILL", Long.toString(apply.pid())).start().waitFor();
    apply.process.waitFor();
    long trainPid = Long.parseLong(Files.readString(output.resolveSibling("child")).trim());
    assertThat(ProcessHandle.of(trainPid).map(ProcessHandle::isAlive)).hasValue(true);

    Runctl.Result follow =
        runctl.start("logs", runId, "train", "--follow").await(Duration.ofMinutes(2));

    assertThat(follow.exitCode()).as(follow.toString()).isZero();
    assertThat(follow.stdout())
        .as("the step log up to the kill, then the training's own output to its end")
        .contains("epoch 1/5")
        .contains("epoch 5/5");
    assertThat(follow.stdout().split("epoch 1/5", -1)).as("no line twice").hasSize(2);
    assertThat(follow.stderr())
        .contains("the training of step 'train' is still running: following");
    assertThat(ProcessHandle.of(trainPid).map(ProcessHandle::isAlive).orElse(false))
        .as("follow returned when the training ended")
        .isFalse();
    Runctl.Result resumed = runctl.run("resume", runId);
    assertThat(resumed.exitCode()).as(resumed.toString()).isZero();
  }

  @Test
  void killedDuringTrainWhileTheScriptDiesResumesFromTheNewestCheckpoint() throws Exception {
    Path spec =
        runctl.spec(
            "job.yaml",
            spec("redo", "[\"--epochs\", \"4\", \"--epoch-seconds\", \"1\"]", "timeout: 5m"));
    Runctl.Running apply = runctl.start("apply", spec.toString());
    String runId = apply.runId(Duration.ofSeconds(60));
    Path output = runctl.runDir(runId).resolve("procs/train-train/output.log");
    awaitContent(output, "epoch 2/4");
    new ProcessBuilder("kill", "-KILL", Long.toString(apply.pid())).start().waitFor();
    apply.process.waitFor();
    long trainPid = Long.parseLong(Files.readString(output.resolveSibling("child")).trim());
    new ProcessBuilder("kill", "-KILL", "--", "-" + trainPid).start().waitFor();
    awaitContent(output.resolveSibling("exit"), "137");

    Runctl.Result resumed = runctl.run("resume", runId);
    assertThat(resumed.exitCode()).as(resumed.toString()).isZero();
    String log = runctl.run("logs", runId, "train").stdout();
    assertThat(log)
        .contains("ended with exit code 137; starting a new one")
        .containsPattern("resuming from checkpoint epoch [23] ")
        .contains("epoch 4/4");
    assertThat(runctl.runDir(runId).resolve("artifacts/checkpoints/metrics.json")).exists();
  }

  /** Waits until the follow mark's offset is past the line of {@code output} with {@code text}. */
  private static void awaitCopiedPast(Path mark, Path output, String text) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (System.nanoTime() < deadline) {
      if (Files.exists(mark) && Files.exists(output)) {
        String out = Files.readString(output);
        int at = out.indexOf(text);
        String[] f = Files.readString(mark).trim().split(" ");
        if (at >= 0 && f.length == 2 && Long.parseLong(f[1]) > out.indexOf('\n', at)) {
          return;
        }
      }
      Thread.sleep(20);
    }
    throw new AssertionError(mark + " did not record a copy past '" + text + "'");
  }

  private static void awaitContent(Path file, String text) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (System.nanoTime() < deadline) {
      if (Files.exists(file) && Files.readString(file).contains(text)) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError(file + " did not come to contain '" + text + "'");
  }
}
