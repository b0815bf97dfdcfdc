package dev.runctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's warm-ups, as the launcher starts them: they leave the user's index of runs alone,
 * and load the classes of the ssh and slurm targets too.
 */
class CdsWarmupIT {
  @TempDir Path dir;

  @Test
  void theWarmupDoesNotAddItsRunToTheUsersIndex() throws Exception {
    Runctl runctl = new Runctl(dir);
    Path index = runctl.runIndex();
    Files.createDirectories(index.getParent());
    String before = "users-run-1\t" + dir.resolve("project/.runctl/runs/users-run-1") + "\n";
    Files.writeString(index, before);

    Path classes = dir.resolve("full.classes");
    Runctl.Result r = warmup(runctl, classes);

    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(Files.readString(index)).isEqualTo(before);
    assertThat(Files.readAllLines(classes))
        .as("the ssh and slurm targets' classes are archived for apply, status, runs")
        .anyMatch(l -> l.contains(" dev.runctl.targets.ssh.SshTarget source:"))
        .anyMatch(l -> l.contains(" dev.runctl.targets.slurm.SlurmTarget source:"))
        .anyMatch(l -> l.contains(" dev.runctl.targets.slurm.SshSlurmCommands source:"));
  }

  @Test
  void theWarmupForPlanPlansTheSpecAndTheRemoteTargetsSettings() throws Exception {
    Runctl runctl = new Runctl(dir);
    Path classes = dir.resolve("plan.classes");
    Path quickstart = Path.of("../specs/examples/quickstart.yaml").toAbsolutePath().normalize();

    Runctl.Result r = warmup(runctl, classes, "plan", quickstart.toString());

    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.stdout()).contains("plan ok");
    assertThat(Files.readAllLines(classes))
        .anyMatch(l -> l.contains(" dev.runctl.targets.ssh.SshConfig source:"))
        .anyMatch(l -> l.contains(" dev.runctl.targets.slurm.SlurmSettings source:"));
  }

  private static Runctl.Result warmup(Runctl runctl, Path classes, String... args)
      throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xlog:class+load=info:file=" + classes);
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.runctl.cli.CdsWarmup"));
    cmd.addAll(List.of(args));
    return runctl.startCommand(cmd).await(Duration.ofMinutes(2));
  }
}
