package dev.runctl.targets.slurm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runctl.targets.slurm.testing.SlurmCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The test cluster itself: two idle nodes, and a job step that runs on both. */
@ExtendWith(SlurmCluster.class)
class ClusterIT {
  @Test
  void runsOneTaskOnEachNode() throws Exception {
    assertThat(SlurmCluster.run("sinfo", "-h", "-N", "-o", "%N %t").lines())
        .containsExactly("n1 idle", "n2 idle");
    assertThat(
            SlurmCluster.run("srun", "-N2", "-l", "printenv", "SLURMD_NODENAME").lines().sorted())
        .containsExactly("0: n1", "1: n2");
  }
}
