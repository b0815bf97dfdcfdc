package dev.runctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What apply prints when stdout is not a terminal: the steps' output lines, unless --quiet. */
class ConsoleOutputIT {
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
            name: echo
            steps:
              - id: first
                uses: run
                with: {shell: "echo epoch 1 loss 0.5; sleep 0.5; echo epoch 2 loss 0.25"}
              - id: second
                uses: run
                with: {shell: "printf 'no newline at the end'"}
            """);
  }

  @Test
  void theStepsOutputLinesArePrintedWithTheirStepId() throws Exception {
    Runctl.Result r = runctl.run("apply", spec.toString());
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.stdout())
        .contains("first | epoch 1 loss 0.5\nfirst | epoch 2 loss 0.25\n")
        .contains("second | no newline at the end")
        .doesNotContain("] attempt 1 of step");
    // each step's lines come before the step's end
    assertThat(r.stdout().indexOf("first | epoch 2")).isLessThan(r.stdout().indexOf("second |"));
  }

  @Test
  void quietPrintsTheTransitionsOnly() throws Exception {
    Runctl.Result r = runctl.run("apply", spec.toString(), "--quiet");
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.stdout()).doesNotContain("first |").doesNotContain("epoch 1").contains("first");
  }

  @Test
  void theEndOfARunSaysWhatMatters() throws Exception {
    Runctl.Result ok = runctl.run("apply", spec.toString(), "--quiet");
    assertThat(ok.exitCode()).as(ok.toString()).isZero();
    String id = ok.runId();
    assertThat(ok.stdout())
        .contains("  outcome:   succeeded in ")
        .contains("  cost:      machine time ")
        .contains("  artifacts: " + runctl.runDir(id).resolve("artifacts") + " (0 files, 0 B)")
        .doesNotContain("next:");
    Path failing =
        runctl.spec(
            "fail.yaml",
            """
            version: 1
            name: fail
            steps:
              - {id: boom, uses: run, with: {shell: "exit 3"}}
            """);
    Runctl.Result failed = runctl.run("apply", failing.toString());
    assertThat(failed.exitCode()).isEqualTo(1);
    assertThat(failed.stdout())
        .contains("  outcome:   failed in ")
        .contains("  next:      runctl resume " + failed.runId());
  }
}
