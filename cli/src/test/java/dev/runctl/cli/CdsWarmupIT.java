package dev.runctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher's warm-up, as the launcher starts it: it leaves the user's index of runs alone. */
class CdsWarmupIT {
  @TempDir Path dir;

  @Test
  void theWarmupDoesNotAddItsRunToTheUsersIndex() throws Exception {
    Runctl runctl = new Runctl(dir);
    Path index = runctl.runIndex();
    Files.createDirectories(index.getParent());
    String before = "users-run-1\t" + dir.resolve("project/.runctl/runs/users-run-1") + "\n";
    Files.writeString(index, before);

    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.runctl.cli.CdsWarmup"));
    Runctl.Result r = runctl.startCommand(cmd).await(Duration.ofMinutes(2));

    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(Files.readString(index)).isEqualTo(before);
  }
}
