package dev.runctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Resume after a step past train failed and the teardown gave the workspace back, through the real
 * CLI on the local target: the workspace is set up again before any later step starts (a {@code
 * run} step with {@code creates:} included), the checkpoints the teardown kept are back in it, the
 * train does not run again, the teardown runs last, and nothing is left alive.
 */
class ResumeAfterFailureIT {
  @TempDir Path dir;
  Runctl runctl;
  Path project;
  Path trainCount;
  Path approval;

  @BeforeEach
  void setUp() throws IOException {
    runctl = new Runctl(dir);
    project = Files.createDirectories(dir.resolve("project"));
    trainCount = dir.resolve("outside/train-starts.txt");
    approval = dir.resolve("outside/approved");
    Files.createDirectories(trainCount.getParent());
    TrainingProject.withTraining(project, "tiny_mlp.py", "requirements.txt");
    Files.writeString(
        project.resolve("training/counted.py"),
        """
        import runpy, sys
        with open(sys.argv[1], "a") as f:
            f.write("train started\\n")
        sys.argv = ["tiny_mlp.py", "--epochs", "4"]
        runpy.run_path("training/tiny_mlp.py", run_name="__main__")
        """);
  }

  /** The quickstart's steps with a counted train, {@code threshold} and {@code extra} steps. */
  private Path spec(String threshold, String extra) throws IOException {
    String text =
        """
        version: 1
        name: resumed
        env: {SEED: "7"}
        steps:
          - id: provision
            uses: provision
          - id: sync
            uses: sync
            with: {exclude: ["checkpoints/"]}
          - id: deps
            uses: deps
            with: {requirements: training/requirements.txt}
          - id: train
            uses: train
            timeout: 5m
            with:
              script: training/counted.py
              args: ["%s"]
              checkpoints: checkpoints
          - id: verify
            uses: verify
            with:
              files: ["checkpoints/*.json"]
              metrics: {file: checkpoints/metrics.json, expect: {accuracy: "%s"}}
        %s
          - id: teardown
            uses: teardown
            when: always
            with: {collect: ["checkpoints/"]}
        """
            .formatted(trainCount, threshold, extra);
    Path p = project.resolve("job.yaml");
    Files.writeString(p, text);
    return p;
  }

  @Test
  void aFailedCheckAfterTrainResumesOnANewWorkspaceWithTheCheckpointsAndWithoutTraining()
      throws Exception {
    // prepare's file lives in the workspace the teardown gives back: its creates: makes the
    // resume run it again on the new workspace, before approve, which needs the file
    String approve =
        """
          - id: prepare
            uses: run
            with:
              shell: 'mkdir -p data && echo ready > data/prepared.txt'
              creates: data/prepared.txt
          - id: approve
            uses: run
            with:
              shell: 'test -f checkpoints/metrics.json && test -f data/prepared.txt && test -f "%s" || { echo "not approved" >&2; exit 1; }'
        """
            .formatted(approval)
            .stripTrailing();
    Runctl.Result first = runctl.run("apply", spec(">= 0.90", approve).toString());
    assertThat(first.exitCode()).as(first.toString()).isEqualTo(1);
    String runId = first.runId();
    assertThat(first.stdout()).contains("verify succeeded").contains("teardown succeeded");
    assertThat(runctl.runDir(runId).resolve("workspace")).doesNotExist();
    assertThat(runctl.runDir(runId).resolve("kept/checkpoints/metrics.json")).exists();

    Files.writeString(approval, "yes\n");
    Runctl.Result resumed = runctl.run("resume", runId);

    assertThat(resumed.exitCode()).as(resumed.toString()).isZero();
    assertThat(resumed.stdout())
        .contains("the machine was given back: setting it up again")
        .contains("approve succeeded")
        .contains("teardown succeeded");
    assertThat(resumed.stdout() + resumed.stderr()).doesNotContain("Exception");
    assertThat(Files.readAllLines(trainCount)).as("the train ran once").hasSize(1);
    assertThat(runctl.run("logs", runId, "provision").stdout())
        .contains("put back checkpoints, kept aside by the teardown");
    assertThat(runctl.runDir(runId).resolve("kept"))
        .as("left empty by the put-back")
        .doesNotExist();
    assertOrder(runId, List.of("provision", "sync", "deps", "prepare", "approve", "teardown"));
    assertThat(runctl.runDir(runId).resolve("workspace")).doesNotExist();
    assertThat(runctl.runDir(runId).resolve("artifacts/checkpoints/metrics.json")).exists();
    assertNothingAlive(runId);
  }

  @Test
  void anUnreachableThresholdFailsAgainOnResumeForItsOwnReasonAndLeavesNothingAlive()
      throws Exception {
    Runctl.Result first = runctl.run("apply", spec(">= 0.999", "").toString());
    assertThat(first.exitCode()).as(first.toString()).isEqualTo(1);
    String runId = first.runId();
    assertThat(first.stdout()).contains("verify failed");

    Runctl.Result resumed = runctl.run("resume", runId);

    assertThat(resumed.exitCode()).as(resumed.toString()).isEqualTo(1);
    assertThat(resumed.stdout() + resumed.stderr())
        .doesNotContain("Exception")
        .doesNotContain("skipped");
    assertThat(runctl.run("logs", runId, "verify").stdout())
        .as("the checkpoints are back: only the threshold fails")
        .contains("verify found 1 problem(s)")
        .contains("accuracy");
    assertThat(Files.readAllLines(trainCount)).as("the train ran once").hasSize(1);
    assertOrder(runId, List.of("provision", "sync", "deps", "verify", "teardown"));
    assertNothingAlive(runId);
  }

  /** In the resume's part of the journal, each step starts after the one before it has ended. */
  private void assertOrder(String runId, List<String> steps) throws IOException {
    List<String> lines = Files.readAllLines(runctl.runDir(runId).resolve("journal.jsonl"));
    int resumeAt = 0;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains("\"type\":\"run_started\"")) {
        resumeAt = i;
      }
    }
    List<String> mine = lines.subList(resumeAt, lines.size());
    for (int s = 1; s < steps.size(); s++) {
      int ended = index(mine, "step_ended", steps.get(s - 1));
      int started = index(mine, "attempt_started", steps.get(s));
      assertThat(ended).as("%s ended in the resume", steps.get(s - 1)).isNotNegative();
      assertThat(started)
          .as(
              "%s starts after %s ended:\n%s",
              steps.get(s), steps.get(s - 1), String.join("\n", mine))
          .isGreaterThan(ended);
    }
    assertThat(index(mine, "attempt_started", "train")).as("no train in the resume").isNegative();
  }

  private static int index(List<String> lines, String type, String step) {
    for (int i = 0; i < lines.size(); i++) {
      String l = lines.get(i);
      if (l.contains("\"type\":\"" + type + "\"") && l.contains("\"step\":\"" + step + "\"")) {
        return i;
      }
    }
    return -1;
  }

  private void assertNothingAlive(String runId) throws Exception {
    Runctl.Result runs = runctl.run("runs");
    assertThat(runs.exitCode()).as(runs.toString()).isZero();
    assertThat(runs.stdout()).contains(runId).doesNotContain("LEAK").doesNotContain("still alive");
    assertThat(runctl.runDir(runId).resolve("workspace")).doesNotExist();
  }
}
