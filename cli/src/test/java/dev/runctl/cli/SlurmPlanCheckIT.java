package dev.runctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runctl.targets.slurm.testing.SlurmCluster;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code runctl plan --check} against the real test cluster (one partition, debug, two nodes
 * without GPUs): a partition, account or GPU count the cluster does not have is caught before
 * anything is submitted, with what exists; nothing is written or queued.
 */
@ExtendWith(SlurmCluster.class)
class SlurmPlanCheckIT {
  @TempDir Path dir;
  SlurmProject project;

  @BeforeEach
  void setUp() throws Exception {
    project = new SlurmProject(dir);
  }

  private Runctl.Result check(String target) throws Exception {
    Path spec =
        project.write(project.spec("check", target, "script: training/tiny_mlp.py", "timeout: 5m"));
    return project.runctl.run("plan", "--check", spec.toString());
  }

  @Test
  void aSpecThatFitsTheClusterPassesAndNothingIsWrittenOrQueued() throws Exception {
    Runctl.Result r = check("nodes: 2");
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.stdout())
        .containsPattern("ok +cluster: partitions: debug \\(default, up, 2 node\\(s\\), 0 GPU")
        .containsPattern("ok +partition: debug is up")
        .containsPattern("ok +nodes: 2 of 2 node\\(s\\)");
    assertThat(project.clusterWorkdir).doesNotExist();
    assertThat(SlurmCluster.queue()).isEmpty();
  }

  @Test
  void anUnknownPartitionSaysWhichExist() throws Exception {
    Runctl.Result r = check("partition: gpu-a100");
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
    assertThat(r.stdout())
        .containsPattern("FAILED +partition: the cluster has no partition 'gpu-a100'")
        .contains("fix: set partition: to one of debug");
  }

  @Test
  void moreGpusThanThePartitionsNodesHaveIsCaught() throws Exception {
    Runctl.Result r = check("gpus_per_node: 4");
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
    assertThat(r.stdout())
        .containsPattern("FAILED +gpus: 4 per node asked, debug's nodes have up to 0")
        .contains("no partition of this cluster has GPUs");
  }

  @Test
  void anAccountThePartitionDoesNotAllowSaysWhichItAllows() throws Exception {
    SlurmCluster.run("scontrol", "update", "PartitionName=debug", "AllowAccounts=lab-a,lab-b");
    try {
      Runctl.Result r = check("account: lab-z");
      assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
      assertThat(r.stdout())
          .containsPattern("FAILED +account: partition debug does not allow account 'lab-z'")
          .contains("lab-a, lab-b");
      Runctl.Result ok = check("account: lab-b");
      assertThat(ok.exitCode()).as(ok.toString()).isZero();
      assertThat(ok.stdout()).containsPattern("ok +account: lab-b");
    } finally {
      SlurmCluster.run("scontrol", "update", "PartitionName=debug", "AllowAccounts=ALL");
    }
  }
}
