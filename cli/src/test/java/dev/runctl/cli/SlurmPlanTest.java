package dev.runctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Planning a slurm spec with the shipped registry: the settings, and what is refused, where. */
class SlurmPlanTest {
  @TempDir Path dir;

  private CliRun plan(String target) throws Exception {
    Files.createDirectories(dir.resolve("training"));
    Files.writeString(dir.resolve("training/t.py"), "print(1)\n");
    Path spec =
        Files.writeString(
            dir.resolve("job.yaml"),
            """
            version: 1
            name: s
            target:
            %s
            steps:
              - {id: train, uses: train, with: {script: training/t.py}}
            """
                .formatted(target.indent(2).stripTrailing()));
    return CliRun.with(Components.standard(), "plan", spec.toString());
  }

  @Test
  void theSettingsArePrintedWithTheirDefaults() throws Exception {
    CliRun r =
        plan(
            """
            provider: slurm
            partition: gpu
            nodes: 2
            gpus_per_node: 4
            extra_sbatch: ["--exclusive", "--time=04:00:00"]
            continue_past_time_limit: true
            """);
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("partition")
        .contains("gpu")
        .contains("--exclusive --time=04:00:00")
        .contains("~/runctl/<job>")
        .contains("2m");
  }

  @Test
  void loginOverSshAndAHeldAllocationArePlanned() throws Exception {
    CliRun r =
        plan(
            """
            provider: slurm
            login: {ssh: me@hpc-login, port: 2222}
            hold_allocation: true
            """);
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains("on hpc-login over ssh").contains("hold_allocation: true");
  }

  @Test
  void aHeldAllocationCannotContinuePastTheTimeLimit() throws Exception {
    CliRun r =
        plan(
            """
            provider: slurm
            hold_allocation: true
            continue_past_time_limit: true
            """);
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err())
        .contains("job.yaml:5:")
        .contains("hold_allocation and continue_past_time_limit do not go together");
  }

  @Test
  void aLoginWithoutItsHostOrWithAnUnknownKeyIsRefusedWhereItStands() throws Exception {
    CliRun r =
        plan(
            """
            provider: slurm
            login: {host: hpc-login}
            """);
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("job.yaml:5:").contains("host").contains("ssh");
  }

  @Test
  void wrongValuesAreNamed() throws Exception {
    CliRun r =
        plan(
            """
            provider: slurm
            gpus_per_node: 2
            gres: gpu:a100:2
            mem: lots
            """);
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err())
        .contains("job.yaml:6:9: error: set gpus_per_node or gres, not both")
        .contains("job.yaml:7:8:")
        .contains("mem 'lots' is not a memory size");
  }

  @Test
  void theSchemaKnowsTheSlurmKeys() throws Exception {
    CliRun r =
        plan(
            """
            provider: slurm
            launcher: mpirun
            extra_sbatch: --exclusive
            """);
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err())
        .contains("'launcher' cannot be 'mpirun'")
        .contains("'extra_sbatch' must be a list");
  }
}
