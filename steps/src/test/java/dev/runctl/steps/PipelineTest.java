package dev.runctl.steps;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runctl.engine.exec.RunResult;
import dev.runctl.steps.testing.SpecRun;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The six built-in steps together on the local target, as the quickstart runs them. */
class PipelineTest {
  static final String QUICKSTART =
      """
      version: 1
      name: tiny-mlp
      env: {SEED: "7"}
      steps:
        - id: provision
          uses: provision
        - id: sync
          uses: sync
          with: {exclude: [".git/", ".runctl/", "checkpoints/"]}
        - id: deps
          uses: deps
          with: {requirements: training/requirements.txt}
        - id: train
          uses: train
          retry: {max_attempts: 2}
          with:
            script: training/tiny_mlp.py
            args: ["--epochs", "8", "--run-name", "quickstart run"]
            checkpoints: checkpoints
            progress_timeout: 2m
        - id: verify
          uses: verify
          with:
            files: ["checkpoints/*.json"]
            metrics: {file: checkpoints/metrics.json, expect: {accuracy: ">= 0.90"}}
        - id: teardown
          uses: teardown
          when: always
          with: {collect: ["checkpoints/"]}
      """;

  @TempDir Path project;

  @Test
  void theQuickstartTrainsVerifiesCollectsAndCleansUp() throws Exception {
    SpecRun run = new SpecRun(project);
    run.copyFromRepo("training/tiny_mlp.py");
    run.copyFromRepo("training/requirements.txt");
    RunResult r = run.apply(QUICKSTART);
    run.assertStatus(r, "succeeded");

    Path artifacts = run.runDir(r.runId()).resolve("artifacts");
    assertThat(artifacts.resolve("checkpoints/metrics.json")).exists();
    assertThat(artifacts.resolve("checkpoints/ckpt-epoch-0008.json")).exists();
    assertThat(run.runDir(r.runId()).resolve("workspace")).doesNotExist();
    assertThat(run.outputs(r.runId(), "train"))
        .containsEntry("exit_code", "0")
        .containsEntry("last_checkpoint", "checkpoints/ckpt-epoch-0008.json");
    assertThat(run.log(r.runId(), "train")).contains("epoch 8/8").contains("'quickstart run'");
    assertThat(run.outputs(r.runId(), "deps")).containsEntry("reused", "false");
    assertThat(run.outputs(r.runId(), "sync").get("files"))
        .isEqualTo("3"); // script, requirements, job.yaml
    assertThat(project.resolve("checkpoints"))
        .doesNotExist(); // trained in the workspace, not in place

    RunResult again = run.apply(QUICKSTART);
    run.assertStatus(again, "succeeded");
    assertThat(run.outputs(again.runId(), "deps")).containsEntry("reused", "true");
    assertThat(Files.readString(run.runDir(again.runId()).resolve("logs/deps.log")))
        .contains("reusing the virtual environment");
  }
}
