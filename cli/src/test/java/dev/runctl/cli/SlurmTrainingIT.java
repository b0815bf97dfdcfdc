package dev.runctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runctl.targets.slurm.testing.SlurmCluster;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The quickstart on a real two-node Slurm cluster, through the CLI as a separate process. */
@ExtendWith(SlurmCluster.class)
class SlurmTrainingIT {
  @TempDir Path dir;
  SlurmProject project;

  @BeforeEach
  void setUp() throws Exception {
    project = new SlurmProject(dir);
  }

  @Test
  void theQuickstartAppliesEndToEndAsABatchJob() throws Exception {
    Path spec =
        project.write(
            project.spec(
                "tiny",
                "",
                """
                script: training/tiny_mlp.py
                args: ["--epochs", "4", "--run-name", "on slurm; $HOME `id` * |"]
                progress_timeout: 1m
                """,
                "timeout: 5m"));
    Runctl.Result r = project.runctl.start("apply", spec.toString()).await(Duration.ofMinutes(3));
    assertThat(r.exitCode()).as(r.toString()).isZero();
    String runId = r.runId();
    Runctl.Result logs = project.runctl.run("logs", runId, "train");
    assertThat(logs.stdout())
        .contains("epoch 4/4")
        .as("the arguments reach the script intact, through no shell")
        .contains("'on slurm; $HOME `id` * |'")
        .contains("done: 4 epochs");
    assertThat(project.runctl.runDir(runId).resolve("artifacts/checkpoints/ckpt-epoch-0004.json"))
        .exists();
    assertThat(project.clusterWorkdir.resolve("training/tiny_mlp.py")).exists();
    assertThat(SlurmCluster.queue()).isEmpty();
    String job = SlurmScenariosIT.jobsOf(runId).get(0).split(" ")[0];
    assertThat(SlurmCluster.run("scontrol", "show", "job", "-o", job))
        .as("--time from the step's timeout")
        .contains("TimeLimit=00:05:00")
        .contains("Requeue=1");
    assertThat(project.runctl.run("logs", runId, "provision").stdout())
        .contains("partition debug is up: 2 node(s)");
  }
}
