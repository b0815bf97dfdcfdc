package dev.runctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What users of the tools runctl replaces suffered from, checked through the real CLI. */
class BuiltinStepsIT {
  @TempDir Path dir;
  Runctl runctl;

  @BeforeEach
  void setUp() throws IOException {
    runctl = new Runctl(dir);
    TrainingProject.withTraining(dir, "tiny_mlp.py");
  }

  private String runId(Runctl.Result r) {
    return r.stdout().lines().findFirst().orElseThrow().substring(4);
  }

  @Test
  void aScriptInASubfolderReceivesEveryArgumentIntact() throws Exception {
    Files.createDirectories(dir.resolve("src/nested"));
    Files.writeString(
        dir.resolve("src/nested/echo_args.py"),
        "import json, sys\nopen('argv.json', 'w').write(json.dumps(sys.argv[1:]))\n");
    Path spec =
        runctl.spec(
            "job.yaml",
            """
        version: 1
        name: args
        steps:
          - {id: provision, uses: provision}
          - {id: sync, uses: sync, with: {exclude: ["state/", "*.txt"]}}
          - id: train
            uses: train
            with:
              script: src/nested/echo_args.py
              args: ["two words", "say \\"hi\\" and 'bye'", "$PATH ${HOME}", "a; rm -rf /", "line1\\nline2", "--lr", "-3", "`id`"]
          - {id: keep, uses: teardown, with: {collect: ["argv.json"]}}
        """);
    Runctl.Result r = runctl.run("apply", spec.toString());
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(runctl.runDir(runId(r)).resolve("artifacts/argv.json"))
        .content()
        .isEqualTo(
            "[\"two words\", \"say \\\"hi\\\" and 'bye'\", \"$PATH ${HOME}\", \"a; rm -rf /\","
                + " \"line1\\nline2\", \"--lr\", \"-3\", \"`id`\"]");
  }

  @Test
  void aCrashAfterACheckpointFailsTrainAndVerifyWithItsExitCode() throws Exception {
    Path spec =
        runctl.spec(
            "job.yaml",
            """
        version: 1
        name: crash
        steps:
          - id: train
            uses: train
            with: {script: training/tiny_mlp.py, args: ["--epochs", "5", "--crash-after-epoch", "2"]}
          - id: verify
            uses: verify
            when: always
            with: {files: ["checkpoints/ckpt-epoch-0002.json"]}
        """);
    Runctl.Result r = runctl.run("apply", spec.toString());
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
    assertThat(r.stdout() + r.stderr())
        .contains("exited with code 3")
        .contains("expected exit code 0, found 3")
        .doesNotContain("run " + runId(r) + " succeeded");
    assertThat(runctl.run("status", runId(r)).stdout())
        .containsPattern("train\\s+failed")
        .containsPattern("verify\\s+failed");
  }

  @Test
  void aHangIsStoppedByProgressTimeoutAndTheRetryFinishes() throws Exception {
    Path spec =
        runctl.spec(
            "job.yaml",
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
              progress_timeout: 5s
        """);
    Runctl.Result r = runctl.run("apply", spec.toString());
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(runctl.run("logs", runId(r), "train").stdout())
        .contains("made no progress")
        .contains("stopped by signal 15")
        .contains("resuming from checkpoint epoch 1")
        .contains("epoch 3/3");
  }

  @Test
  void aFailedPipInstallShowsPipsError() throws Exception {
    Files.writeString(dir.resolve("requirements.txt"), "runctl-surely-missing-package==0.0.1\n");
    Path spec =
        runctl.spec(
            "job.yaml",
            """
        version: 1
        name: pip
        steps:
          - {id: deps, uses: deps, with: {requirements: requirements.txt, pip_args: ["--no-index"]}}
        """);
    Runctl.Result r = runctl.run("apply", spec.toString());
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
    assertThat(r.stdout() + r.stderr())
        .contains("No matching distribution found for runctl-surely-missing-package==0.0.1");
  }

  @Test
  void aChangeToOneFileOfManySendsOneFile() throws Exception {
    for (int i = 0; i < 300; i++) {
      Path f = dir.resolve("data/part" + (i % 10) + "/f" + i + ".txt");
      Files.createDirectories(f.getParent());
      Files.writeString(f, "content " + i);
    }
    Path changed = dir.resolve("data/part3/f13.txt");
    Path spec =
        runctl.spec(
            "job.yaml",
            """
        version: 1
        name: resync
        steps:
          - {id: provision, uses: provision}
          - {id: first, uses: sync, with: {exclude: ["state/", "out-*.txt", "err-*.txt"]}}
          - {id: edit, uses: run, with: {command: ["sh", "-c", "echo edited > \\"$0\\"", "%s"]}}
          - {id: second, uses: sync, with: {exclude: ["state/", "out-*.txt", "err-*.txt"]}}
        """
                .formatted(changed));
    Runctl.Result r = runctl.run("apply", spec.toString());
    assertThat(r.exitCode()).as(r.toString()).isZero();
    Runctl.Result status = runctl.run("status", "--output", "json", runId(r));
    assertThat(status.stdout()).contains("\"files_sent\":\"1\"").contains("\"bytes_sent\":\"7\"");
    assertThat(runctl.runDir(runId(r)).resolve("workspace/data/part3/f13.txt"))
        .hasContent("edited");
  }
}
