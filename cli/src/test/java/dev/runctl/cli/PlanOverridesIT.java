package dev.runctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code plan --env} and {@code --set}: the same overrides give the same checks as apply. */
class PlanOverridesIT {
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
                timeout: 5m
                with: {shell: "echo seed=$SEED"}
            """);
  }

  @Test
  void planShowsTheOverriddenSpec() throws Exception {
    Runctl.Result plain = runctl.run("plan", spec.toString());
    assertThat(plain.exitCode()).as(plain.toString()).isZero();
    assertThat(plain.stdout()).contains("5m").doesNotContain("42m");

    Runctl.Result set =
        runctl.run(
            "plan",
            spec.toString(),
            "--set",
            "steps.hello.timeout=42m",
            "--env",
            "SEED=9",
            "--set",
            "env.OTHER=5");
    assertThat(set.exitCode()).as(set.toString()).isZero();
    assertThat(set.stdout()).contains("42m").contains("OTHER");
  }

  @Test
  void planRejectsWhatApplyRejectsInTheSameWords() throws Exception {
    for (String[] override :
        new String[][] {
          {"--set", "steps.hello.timeout=soon"},
          {"--set", "steps.nope.timeout=1m"},
          {"--set", "steps.hello.with.scrpit=x"},
          {"--env", "1BAD=x"},
          {"--env", "SEED"},
        }) {
      Runctl.Result plan = runctl.run("plan", spec.toString(), override[0], override[1]);
      Runctl.Result apply = runctl.run("apply", spec.toString(), override[0], override[1]);
      assertThat(plan.exitCode()).as(plan.toString()).isEqualTo(2);
      assertThat(apply.exitCode()).as(apply.toString()).isEqualTo(2);
      assertThat(plan.stderr())
          .as(plan.toString())
          .contains(override[0] + " " + override[1].split("=")[0]);
      assertThat(plan.stderr().lines().filter(l -> l.contains(override[0])).toList())
          .as(override[1])
          .isEqualTo(apply.stderr().lines().filter(l -> l.contains(override[0])).toList());
    }
  }
}
