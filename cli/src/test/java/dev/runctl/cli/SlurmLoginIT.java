package dev.runctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runctl.targets.slurm.testing.SlurmCluster;
import dev.runctl.targets.ssh.testing.Sshd;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The slurm target with {@code login: {ssh: ...}}: runctl reaches the cluster's login node (here
 * OpenSSH's sshd on 127.0.0.1, whose sessions find the test cluster through SLURM_CONF) and runs
 * every Slurm command, sync, deps and file operation there. runctl's own environment points Slurm
 * at a conf that does not exist, so a Slurm command run on this side would fail.
 */
@ExtendWith(SlurmCluster.class)
class SlurmLoginIT {
  @TempDir Path dir;
  SlurmProject project;
  Sshd sshd;

  @BeforeEach
  void setUp() throws Exception {
    sshd =
        Sshd.start(
            dir.resolve("sshd"),
            java.util.Map.of("SLURM_CONF", SlurmCluster.cluster().conf().toString()));
    project = new SlurmProject(dir);
    project.runctl.env("SLURM_CONF", dir.resolve("no-such/slurm.conf").toString());
  }

  @AfterEach
  void stopSshd() throws Exception {
    sshd.stop();
  }

  @Test
  void theQuickstartAppliesEndToEndThroughTheLoginNode() throws Exception {
    Path spec =
        project.write(
            project.spec(
                "tiny",
                "login: {ssh: box, ssh_config: " + sshd.clientConfigFile() + "}",
                """
                script: training/tiny_mlp.py
                args: ["--epochs", "4", "--run-name", "via login; $HOME `id` * |"]
                progress_timeout: 1m
                """,
                "timeout: 5m"));
    Runctl.Result r = project.runctl.start("apply", spec.toString()).await(Duration.ofMinutes(3));
    assertThat(r.exitCode()).as(r.toString()).isZero();
    String runId = r.runId();
    assertThat(project.runctl.run("logs", runId, "provision").stdout())
        .contains("Slurm commands and the workdir on box (ssh)")
        .contains("partition debug is up: 2 node(s)")
        .contains("workdir box:" + project.clusterWorkdir);
    assertThat(project.runctl.run("logs", runId, "train").stdout())
        .contains("epoch 4/4")
        .as("the arguments reach the script intact, through ssh and no shell word split")
        .contains("'via login; $HOME `id` * |'")
        .contains("done: 4 epochs");
    assertThat(project.runctl.runDir(runId).resolve("artifacts/checkpoints/ckpt-epoch-0004.json"))
        .as("collected from the login node")
        .exists();
    assertThat(project.clusterWorkdir.resolve("training/tiny_mlp.py")).exists();
    assertThat(sshd.home().resolve("runctl/.cache"))
        .as("deps built its virtual environment on the login node, over ssh")
        .isDirectory();
    assertThat(sshd.home().resolve("runctl/.runs/" + runId))
        .as("teardown removed the run's folder on the login node")
        .doesNotExist();
    assertThat(project.clusterWorkdir.resolve(".runctl/jobs/" + runId + "-train-train/env"))
        .as("teardown removed the env file")
        .doesNotExist();
    assertThat(SlurmCluster.queue()).isEmpty();
    assertThat(SlurmScenariosIT.jobsOf(runId)).hasSize(1);
    assertThat(sshd.log()).contains("Accepted publickey");
  }

  @Test
  void planCheckAsksTheClusterThroughTheLoginNode() throws Exception {
    Path spec =
        project.write(
            project.spec(
                "check",
                "partition: gpu\nlogin: {ssh: box, ssh_config: " + sshd.clientConfigFile() + "}",
                "script: training/tiny_mlp.py",
                "timeout: 5m"));
    Runctl.Result r = project.runctl.run("plan", "--check", spec.toString());
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
    assertThat(r.stdout())
        .containsPattern("ok +cluster: partitions: debug")
        .containsPattern("FAILED +partition: the cluster has no partition 'gpu'");
    assertThat(project.clusterWorkdir).doesNotExist();
  }
}
