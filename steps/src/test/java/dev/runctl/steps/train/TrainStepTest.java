package dev.runctl.steps.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runctl.engine.exec.RunResult;
import dev.runctl.steps.testing.SpecRun;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainStepTest {
  @TempDir Path project;

  private SpecRun withTinyMlp() {
    SpecRun run = new SpecRun(project);
    run.copyFromRepo("training/tiny_mlp.py");
    return run;
  }

  @Test
  void aScriptInASubfolderGetsEveryArgumentIntactAndTheRunctlEnvironment() throws Exception {
    SpecRun run = new SpecRun(project);
    run.write(
        "tools/deep/show_args.py",
        """
        import json, os, sys
        with open(os.path.join(os.environ["RUNCTL_CHECKPOINT_DIR"], "..", "seen.json"), "w") as f:
            json.dump({"argv": sys.argv[1:], "cwd": os.getcwd(),
                       "env": {k: v for k, v in os.environ.items() if k.startswith("RUNCTL_")}}, f)
        print("ok")
        """);
    RunResult r =
        run.apply(
            """
            version: 1
            name: args
            steps:
              - {id: provision, uses: provision}
              - {id: sync, uses: sync}
              - id: train
                uses: train
                with:
                  script: tools/deep/show_args.py
                  args: ["with space", "it's \\"quoted\\"", "$HOME", "a;b", "line1\\nline2", "--lead", "-x", "", "*"]
            """);
    run.assertStatus(r, "succeeded");
    Path ws = run.runDir(r.runId()).resolve("workspace");
    String seen = Files.readString(ws.resolve("seen.json"));
    assertThat(seen)
        .contains(
            "\"argv\": [\"with space\", \"it's \\\"quoted\\\"\", \"$HOME\", \"a;b\", \"line1\\nline2\","
                + " \"--lead\", \"-x\", \"\", \"*\"]")
        .contains("\"cwd\": \"" + ws + "\"")
        .contains("\"RUNCTL_CHECKPOINT_DIR\": \"" + ws + "/checkpoints\"")
        .contains("\"RUNCTL_STEP_ID\": \"train\"")
        .contains("\"RUNCTL_RUN_ID\": \"" + r.runId() + "\"")
        .contains("\"RUNCTL_ATTEMPT\": \"1\"");
  }

  @Test
  void aCrashAfterACheckpointFailsTrainAndVerifyWithTheExitCode() throws Exception {
    SpecRun run = withTinyMlp();
    RunResult r =
        run.apply(
            """
            version: 1
            name: crash
            steps:
              - id: train
                uses: train
                with:
                  script: training/tiny_mlp.py
                  args: ["--epochs", "4", "--crash-after-epoch", "2"]
              - id: verify
                uses: verify
                when: always
                with: {files: ["checkpoints/*.json"]}
            """);
    run.assertStatus(r, "failed");
    assertThat(run.step(r.runId(), "train").message())
        .contains("training/tiny_mlp.py exited with code 3")
        .contains("crashing on purpose after epoch 2");
    assertThat(run.step(r.runId(), "verify").message())
        .contains("train step 'train': expected exit code 0, found 3");
    assertThat(project.resolve("checkpoints/ckpt-epoch-0002.json")).exists(); // in place
  }

  @Test
  void aRetryAfterACrashResumesFromTheNewestCheckpoint() throws Exception {
    SpecRun run = withTinyMlp();
    RunResult r =
        run.apply(
            """
            version: 1
            name: crash-retry
            steps:
              - {id: provision, uses: provision}
              - {id: sync, uses: sync}
              - id: train
                uses: train
                retry: {max_attempts: 2, initial_interval: 1s, on: [failure]}
                with:
                  script: training/tiny_mlp.py
                  args: ["--epochs", "4", "--crash-after-epoch", "2"]
            """);
    run.assertStatus(r, "succeeded");
    String log = run.log(r.runId(), "train");
    assertThat(log)
        .contains("crashing on purpose after epoch 2")
        .contains("resuming from checkpoint epoch 2")
        .contains("epoch 4/4");
    assertThat(log.substring(log.indexOf("resuming from checkpoint")))
        .doesNotContain("epoch 1/4")
        .doesNotContain("epoch 2/4");
    assertThat(log.indexOf("resuming from checkpoint"))
        .isGreaterThan(log.indexOf("crashing on purpose"));
    assertThat(run.step(r.runId(), "train").attempts()).isEqualTo(2);
  }

  @Test
  void aHangIsStoppedByProgressTimeoutAndRetried() throws Exception {
    SpecRun run = withTinyMlp();
    RunResult r =
        run.apply(
            """
            version: 1
            name: hang
            steps:
              - id: train
                uses: train
                retry: {max_attempts: 2, initial_interval: 1s, on: [timeout]}
                with:
                  script: training/tiny_mlp.py
                  args: ["--epochs", "3", "--hang-after-epoch", "1"]
                  progress_timeout: 4s
            """);
    run.assertStatus(r, "succeeded");
    String log = run.log(r.runId(), "train");
    assertThat(log)
        .contains("hanging on purpose after epoch 1")
        .contains("no output and no checkpoint change")
        .contains("stopped by signal 15")
        .contains("resuming from checkpoint epoch 1")
        .contains("epoch 3/3");
    assertThat(run.step(r.runId(), "train").attempts()).isEqualTo(2);
  }

  @Test
  void aHangWithoutRetriesFailsAsATimeout() throws Exception {
    SpecRun run = withTinyMlp();
    RunResult r =
        run.apply(
            """
            version: 1
            name: hang-fail
            steps:
              - id: train
                uses: train
                with:
                  script: training/tiny_mlp.py
                  args: ["--epochs", "3", "--hang-after-epoch", "1"]
                  progress_timeout: 4s
            """);
    run.assertStatus(r, "failed");
    assertThat(run.step(r.runId(), "train").errorClass()).hasValue("timeout");
    assertThat(run.step(r.runId(), "train").message())
        .contains("made no progress")
        .contains("progress_timeout 4s");
  }
}
