package dev.runctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Colour on a terminal (a pseudo-terminal through util-linux {@code script}), none when stdout is
 * not one, under {@code NO_COLOR} or with {@code --no-color}; the live display's last table lists
 * every step.
 */
class ColourIT {
  /** An SGR escape sequence: what sets a colour (cursor moves of the live display are not). */
  private static final Pattern SGR = Pattern.compile("\u001B\\[\\d*m");

  private static final String GREEN = "\u001B[32m";
  private static final String RED = "\u001B[31m";

  @TempDir Path dir;
  Runctl runctl;
  Path failing;

  @BeforeEach
  void setUp() throws Exception {
    runctl = new Runctl(dir);
    failing =
        runctl.spec(
            "job.yaml",
            """
            version: 1
            name: colours
            steps:
              - {id: fine, uses: run, with: {command: ["true"]}}
              - {id: broken, uses: run, needs: [fine], with: {shell: "exit 3"}}
            """);
  }

  @Test
  void aTerminalGetsSuccessInGreenAndFailureInRed() throws Exception {
    runctl.env("NO_COLOR", null);
    Runctl.Result r = runctl.runInTerminal("apply", failing.toString());
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
    assertThat(r.stdout()).as(r.toString()).contains(GREEN + "✓").contains(RED + "✗");
    assertThat(r.stdout()).contains(RED + "  outcome:   failed in");
    Runctl.Result status = runctl.runInTerminal("status", r.runId());
    assertThat(status.stdout())
        .as(status.toString())
        .contains(GREEN + "  fine ")
        .contains(RED + "  broken ");
  }

  @Test
  void anEmptyNoColorLeavesColourOn() throws Exception {
    runctl.env("NO_COLOR", "");
    Runctl.Result r = runctl.runInTerminal("apply", failing.toString());
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
    assertThat(r.stdout()).contains(RED);
  }

  @Test
  void noColourWhenPipedUnderNoColorOrWithTheFlag() throws Exception {
    runctl.env("NO_COLOR", null);
    Runctl.Result piped = runctl.run("apply", failing.toString());
    assertThat(piped.exitCode()).as(piped.toString()).isEqualTo(1);
    assertThat(piped.stdout() + piped.stderr()).doesNotContain("\u001B");

    Runctl.Result flag = runctl.runInTerminal("apply", "--no-color", failing.toString());
    assertThat(flag.exitCode()).as(flag.toString()).isEqualTo(1);
    assertThat(flag.stdout()).contains("✗").contains("failed");
    assertThat(SGR.matcher(flag.stdout()).find()).as(flag.stdout()).isFalse();

    runctl.env("NO_COLOR", "1");
    Runctl.Result env = runctl.runInTerminal("apply", failing.toString());
    assertThat(env.exitCode()).as(env.toString()).isEqualTo(1);
    assertThat(env.stdout()).contains("✗");
    assertThat(SGR.matcher(env.stdout()).find()).as(env.stdout()).isFalse();
  }

  @Test
  void theLastTableOfTheLiveDisplayListsEveryStep() throws Exception {
    StringBuilder steps = new StringBuilder();
    for (int i = 1; i <= 8; i++) {
      steps.append("  - {id: step").append(i).append(", uses: run, with: {command: [\"true\"]}}\n");
    }
    Path spec = runctl.spec("many.yaml", "version: 1\nname: many\nsteps:\n" + steps);
    Runctl.Result r = runctl.runInTerminal("apply", "--no-color", spec.toString());
    assertThat(r.exitCode()).as(r.toString()).isZero();
    String out = r.stdout();
    // what stays on the screen: the text after the live block was last cleared
    int cleared = out.lastIndexOf("\u001B[J");
    String last = cleared < 0 ? out : out.substring(cleared + 3);
    for (int i = 1; i <= 8; i++) {
      assertThat(last).as(out).containsPattern("✓ step" + i + " +succeeded");
    }
    assertThat(last).contains("8 succeeded");
  }

  @Test
  void planWarningsAreYellowOnATerminal() throws Exception {
    runctl.env("NO_COLOR", null).env("RUNCTL_TEST_NOT_SET", null);
    Path spec =
        runctl.spec(
            "env.yaml",
            """
            version: 1
            name: envs
            steps:
              - {id: a, uses: run, env: {T: "${{ env.RUNCTL_TEST_NOT_SET }}"}, with: {shell: "true"}}
            """);
    Runctl.Result r = runctl.runInTerminal("plan", spec.toString());
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.stdout()).contains("\u001B[33m" + spec + ":4:");
  }
}
