package dev.runctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code apply --env} and {@code --set}: checked like the file, frozen for resume. */
class OverridesIT {
  @TempDir Path dir;
  Runctl runctl;
  Path spec;

  @BeforeEach
  void setUp() throws Exception {
    runctl = new Runctl(dir);
    spec =
        runctl.spec(
            "job.yaml",
            """
            version: 1
            name: over
            env: {SEED: "1"}
            steps:
              - id: hello
                uses: run
                with: {shell: "echo seed=$SEED >> out.txt; test -f ok"}
            """);
  }

  @Test
  void overridesReachTheStepAndResumeUsesThemAgain() throws Exception {
    Runctl.Result r = runctl.run("apply", spec.toString(), "--env", "SEED=9");
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
    assertThat(Files.readAllLines(dir.resolve("out.txt"))).containsExactly("seed=9");
    Files.writeString(dir.resolve("ok"), "");
    Runctl.Result resumed = runctl.run("resume", r.runId());
    assertThat(resumed.exitCode()).as(resumed.toString()).isZero();
    assertThat(Files.readAllLines(dir.resolve("out.txt"))).containsExactly("seed=9", "seed=9");

    Files.delete(dir.resolve("out.txt"));
    Runctl.Result set =
        runctl.run(
            "apply",
            spec.toString(),
            "--set",
            "steps.hello.with.shell=echo from-set > out.txt",
            "--env",
            "SEED=4",
            "--set",
            "env.OTHER=5");
    assertThat(set.exitCode()).as(set.toString()).isZero();
    assertThat(Files.readAllLines(dir.resolve("out.txt"))).containsExactly("from-set");
  }

  @Test
  void aBadOverrideIsReportedByItsName() throws Exception {
    Runctl.Result badValue =
        runctl.run("apply", spec.toString(), "--set", "steps.hello.timeout=soon");
    assertThat(badValue.exitCode()).as(badValue.toString()).isEqualTo(2);
    assertThat(badValue.stderr()).contains("--set steps.hello.timeout:1:1");
    assertThat(dir.resolve("out.txt")).doesNotExist();

    Runctl.Result noStep = runctl.run("apply", spec.toString(), "--set", "steps.nope.timeout=1m");
    assertThat(noStep.exitCode()).isEqualTo(2);
    assertThat(noStep.stderr()).contains("--set steps.nope.timeout:1:1").contains("no item 'nope'");

    Runctl.Result unknownKey =
        runctl.run("apply", spec.toString(), "--set", "steps.hello.with.scrpit=x");
    assertThat(unknownKey.exitCode()).isEqualTo(2);
    assertThat(unknownKey.stderr()).contains("--set steps.hello.with.scrpit");

    Runctl.Result badEnv = runctl.run("apply", spec.toString(), "--env", "1BAD=x");
    assertThat(badEnv.exitCode()).isEqualTo(2);
    assertThat(badEnv.stderr()).contains("--env 1BAD");

    Runctl.Result noEquals = runctl.run("apply", spec.toString(), "--env", "SEED");
    assertThat(noEquals.exitCode()).isEqualTo(2);
    assertThat(noEquals.stderr()).contains("'--env SEED' has no '='").contains("KEY=VALUE");
  }
}
