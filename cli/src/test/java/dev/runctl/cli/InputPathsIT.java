package dev.runctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Paths given to runctl that are not what they seem: a FIFO as the spec, a file as the state. */
class InputPathsIT {
  private static final Duration LIMIT = Duration.ofSeconds(60);

  static final String SPEC =
      """
      version: 1
      name: tiny
      steps:
        - id: one
          uses: run
          with: {command: ["true"]}
      """;

  @TempDir Path dir;
  Runctl runctl;

  @BeforeEach
  void setUp() {
    runctl = new Runctl(dir);
  }

  @Test
  void aNamedPipeAsTheSpecIsRefusedByPlanAndApplyInsteadOfHanging() throws Exception {
    Path fifo = dir.resolve("f.yaml");
    assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
    for (String command : new String[] {"plan", "apply"}) {
      Runctl.Result r = runctl.start(command, fifo.toString()).await(LIMIT);
      assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
      assertThat(r.stderr())
          .as(command)
          .contains(fifo + ":1:1")
          .contains("is a named pipe (FIFO)")
          .contains("<(generate)");
    }
    assertThat(runctl.stateDir().resolve("runs")).doesNotExist();
  }

  @Test
  void aSpecFromProcessSubstitutionIsPlannedAndApplied() throws Exception {
    Path spec = runctl.spec("job.yaml", SPEC);
    for (String command : new String[] {"plan", "apply"}) {
      List<String> cmd = new ArrayList<>(List.of("bash", "-c", "exec \"$@\" <(cat job.yaml)", "-"));
      cmd.addAll(runctl.command(command));
      Runctl.Result r = runctl.startCommand(cmd).await(LIMIT);
      assertThat(r.exitCode()).as(r.toString()).isZero();
    }
    List<String> piped = new ArrayList<>(List.of("bash", "-c", "cat job.yaml | \"$@\"", "-"));
    piped.addAll(runctl.command("plan", "/dev/stdin"));
    Runctl.Result r = runctl.startCommand(piped).await(LIMIT);
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.stdout()).contains("one");
    assertThat(spec).exists();
  }

  @Test
  void aFileAsTheStateFolderIsAnErrorNamingItAndTheFix() throws Exception {
    Path file = Files.writeString(dir.resolve("not-a-folder"), "x");
    runctl.env("RUNCTL_STATE_DIR", runctl.stateDir().toString());
    Runctl.Result flag = runctl.run("runs", "--state-dir", file.toString());
    assertThat(flag.exitCode()).as(flag.toString()).isEqualTo(2);
    assertThat(flag.stderr())
        .contains("the state folder " + file + " is not a folder")
        .contains("pass --state-dir")
        .doesNotContain("no runs");

    runctl.env("RUNCTL_STATE_DIR", file.toString());
    for (String[] args :
        new String[][] {
          {"runs"}, {"status", "tiny-20260101-000000-0000"}, {"runs", "--output=json"}
        }) {
      Runctl.Result r = runctl.run(args);
      assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
      assertThat(r.stderr() + r.stdout())
          .contains(
              "the state folder " + file + " is not a folder (it comes from RUNCTL_STATE_DIR)")
          .contains("set RUNCTL_STATE_DIR");
    }
  }
}
