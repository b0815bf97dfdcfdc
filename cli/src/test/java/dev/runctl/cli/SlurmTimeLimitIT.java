package dev.runctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runctl.targets.slurm.testing.SlurmCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A training longer than its one-minute Slurm time limit: told by SIGUSR1 to checkpoint, stopped at
 * the limit, it continues as a new segment with {@code continue_past_time_limit: true}, and ends as
 * a timeout without it.
 */
@ExtendWith(SlurmCluster.class)
class SlurmTimeLimitIT {
  private static final String TRAIN =
      """
      script: training/tiny_mlp.py
      args: ["--epochs", "110", "--epoch-seconds", "1"]
      """;

  @TempDir Path dir;
  SlurmProject project;

  @BeforeEach
  void setUp() throws Exception {
    project = new SlurmProject(dir);
  }

  @Test
  void continuesPastTheTimeLimitFromItsCheckpoint() throws Exception {
    Path spec =
        project.write(
            project.spec(
                "segments",
                "extra_sbatch: [\"--time=1\"]\nsignal_grace: 30s\ncontinue_past_time_limit: true",
                TRAIN,
                ""));
    Runctl.Result r = project.runctl.start("apply", spec.toString()).await(Duration.ofMinutes(6));
    assertThat(r.exitCode()).as(r.toString()).isZero();
    String log = project.runctl.run("logs", r.runId(), "train").stdout();
    assertThat(log)
        .contains("SIGUSR1: the time limit is near; checkpointed at epoch")
        .containsPattern(
            "reached its time limit after checkpointing; continuing as job \\d+ \\(segment 2\\)")
        .containsPattern("resuming from checkpoint epoch \\d+")
        .contains("done: 110 epochs");
    String journal = Files.readString(project.runctl.runDir(r.runId()).resolve("journal.jsonl"));
    assertThat(journal).contains(".segment.1").contains(".segment.2");
    assertThat(SlurmScenariosIT.jobsOf(r.runId())).hasSizeGreaterThanOrEqualTo(2);
  }

  @Test
  void endsAsATimeoutWithoutContinuing() throws Exception {
    Path spec =
        project.write(
            project.spec("limit", "extra_sbatch: [\"--time=1\"]\nsignal_grace: 30s", TRAIN, ""));
    Runctl.Result r = project.runctl.start("apply", spec.toString()).await(Duration.ofMinutes(4));
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
    assertThat(r.stdout() + r.stderr())
        .contains("reached its time limit (TIMEOUT) and Slurm stopped it")
        .contains("continue_past_time_limit");
    assertThat(SlurmScenariosIT.jobsOf(r.runId())).singleElement().asString().contains("TIMEOUT");
  }
}
