package dev.runctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Completion scripts, an unknown command, the resume line in proper English, args shown as they are
 * written, destroy with nothing alive, step durations across a resume, an unset variable and an
 * unknown key found by plan.
 */
class SmallThingsIT {
  @TempDir Path dir;
  Runctl runctl;

  @BeforeEach
  void setUp() {
    runctl = new Runctl(dir);
  }

  @Test
  void completionScriptsForBashAndZsh() throws Exception {
    Runctl.Result bash = runctl.run("completion", "bash");
    assertThat(bash.exitCode()).as(bash.toString()).isZero();
    assertThat(bash.stdout()).contains("complete -F").contains("init").contains("--state-dir");
    Runctl.Result zsh = runctl.run("completion", "zsh");
    assertThat(zsh.exitCode()).isZero();
    assertThat(zsh.stdout()).startsWith("autoload -U +X compinit").contains("bashcompinit");
    Runctl.Result fish = runctl.run("completion", "fish");
    assertThat(fish.exitCode()).isEqualTo(2);
    assertThat(fish.stderr()).contains("no completion for the shell 'fish'");
  }

  @Test
  void anUnknownCommandListsTheCommands() throws Exception {
    Runctl.Result typo = runctl.run("stauts");
    assertThat(typo.exitCode()).isEqualTo(2);
    assertThat(typo.stderr()).contains("did you mean status");
    Runctl.Result unknown = runctl.run("frobnicate");
    assertThat(unknown.exitCode()).isEqualTo(2);
    assertThat(unknown.stderr()).contains("the commands are ").contains("init, logs, plan");
  }

  @Test
  void oneStepAlreadyDoneIsSingular() throws Exception {
    Path spec =
        runctl.spec(
            "job.yaml",
            """
            version: 1
            name: two
            steps:
              - {id: a, uses: run, with: {command: ["true"]}}
              - {id: b, uses: run, with: {shell: "test -f ok"}}
            """);
    Runctl.Result failed = runctl.run("apply", spec.toString());
    assertThat(failed.exitCode()).isEqualTo(1);
    Files.writeString(dir.resolve("ok"), "");
    Runctl.Result resumed = runctl.run("resume", failed.runId());
    assertThat(resumed.exitCode()).as(resumed.toString()).isZero();
    assertThat(resumed.stdout()).contains("resumed (1 step already done)");
  }

  @Test
  void planShowsArgsAsTheyAreWritten() throws Exception {
    Files.writeString(dir.resolve("train.py"), "print(1)\n");
    Path spec =
        runctl.spec(
            "job.yaml",
            """
            version: 1
            name: args
            steps:
              - {id: provision, uses: provision}
              - {id: sync, uses: sync}
              - id: train
                uses: train
                with: {script: train.py, args: ["--run-name", "a b", "say \\"hi\\""]}
            """);
    Runctl.Result plan = runctl.run("plan", spec.toString());
    assertThat(plan.exitCode()).as(plan.toString()).isZero();
    assertThat(plan.stdout()).contains("[\"--run-name\",\"a b\",\"say \\\"hi\\\"\"]");
  }

  @Test
  void destroyingARunWithNothingAliveSaysSoWithoutAWarning() throws Exception {
    Path spec =
        runctl.spec(
            "one.yaml",
            """
            version: 1
            name: one
            steps:
              - {id: a, uses: run, with: {command: ["true"]}}
            """);
    Runctl.Result applied = runctl.run("apply", spec.toString());
    assertThat(applied.exitCode()).isZero();
    assertThat(applied.stdout()).contains("one: 1 step, started");
    Runctl.Result destroyed = runctl.run("destroy", applied.runId());
    assertThat(destroyed.exitCode()).as(destroyed.toString()).isZero();
    assertThat(destroyed.stdout()).contains("nothing is left").doesNotContain("warning");
    assertThat(destroyed.stderr()).doesNotContain("warning");
  }

  @Test
  void statusCountsTheLastAttemptsOwnTimeNotTheGapBeforeTheResume() throws Exception {
    Path spec =
        runctl.spec(
            "job.yaml",
            """
            version: 1
            name: gap
            steps:
              - {id: a, uses: run, with: {command: ["true"]}}
              - {id: b, uses: run, with: {shell: "test -f ok"}}
            """);
    Runctl.Result failed = runctl.run("apply", spec.toString());
    assertThat(failed.exitCode()).as(failed.toString()).isEqualTo(1);
    Thread.sleep(5_000);
    Files.writeString(dir.resolve("ok"), "");
    Runctl.Result resumed = runctl.run("resume", failed.runId());
    assertThat(resumed.exitCode()).as(resumed.toString()).isZero();
    Runctl.Result status = runctl.run("status", failed.runId(), "--output", "json");
    String row =
        status.stdout().lines().filter(l -> l.contains("\"step\":\"b\"")).findFirst().orElseThrow();
    long ms = Long.parseLong(row.replaceAll(".*\"durationMillis\":(\\d+).*", "$1"));
    assertThat(ms).as(row).isLessThan(4_000);
  }

  @Test
  void planWarnsOfAnUnsetVariableWithTheHint() throws Exception {
    Path spec =
        runctl.spec(
            "job.yaml",
            """
            version: 1
            name: envs
            steps:
              - id: a
                uses: run
                env: {TOKEN: "${{ env.RUNCTL_TEST_NOT_SET }}"}
                with: {shell: 'test -n "$TOKEN"'}
            """);
    runctl.env("RUNCTL_TEST_NOT_SET", null);
    Runctl.Result plan = runctl.run("plan", spec.toString());
    assertThat(plan.exitCode()).as(plan.toString()).isZero();
    assertThat(plan.stderr())
        .contains("job.yaml:6:")
        .contains("warning: ${{ env.RUNCTL_TEST_NOT_SET }}: RUNCTL_TEST_NOT_SET is not set")
        .contains("export RUNCTL_TEST_NOT_SET");
    runctl.env("RUNCTL_TEST_NOT_SET", "here");
    Runctl.Result set = runctl.run("plan", spec.toString());
    assertThat(set.exitCode()).as(set.toString()).isZero();
    assertThat(set.stderr()).doesNotContain("RUNCTL_TEST_NOT_SET");
  }

  @Test
  void anUnknownKeyUnderWithStillHasTheOtherProblemsReported() throws Exception {
    Path spec =
        runctl.spec(
            "job.yaml",
            """
            version: 1
            name: keys
            steps:
              - {id: provision, uses: provision}
              - {id: sync, uses: sync}
              - id: train
                uses: train
                with: {script: missing.py, argz: ["--epochs", "1"]}
            """);
    Runctl.Result plan = runctl.run("plan", spec.toString());
    assertThat(plan.exitCode()).as(plan.toString()).isEqualTo(2);
    assertThat(plan.stderr())
        .contains("'argz'")
        .contains("did you mean 'args'")
        .contains("missing.py");
    assertThat(plan.stderr().split("'argz'", -1)).as(plan.stderr()).hasSize(2);
  }

  /** docs/aws.md: the region is not taken from the SDK's chain; plan says a target lacks one. */
  @Test
  void anAwsTargetWithoutRegionIsReportedByPlanEvenWithAwsRegionSet() throws Exception {
    Path spec =
        runctl.spec(
            "aws.yaml",
            """
            version: 1
            name: noregion
            target:
              provider: aws
              instance_type: t3.micro
              image: ami-0123456789abcdef0
              iam_instance_profile: runctl-instance
              bucket: my-bucket
            steps:
              - {id: a, uses: run, with: {command: ["true"]}}
            """);
    runctl.env("AWS_REGION", "us-east-1").env("AWS_DEFAULT_REGION", "us-east-1");
    Runctl.Result plan = runctl.run("plan", spec.toString());
    assertThat(plan.exitCode()).as(plan.toString()).isEqualTo(2);
    assertThat(plan.stderr()).contains("aws.yaml:3:").contains("the aws target needs 'region'");
  }
}
