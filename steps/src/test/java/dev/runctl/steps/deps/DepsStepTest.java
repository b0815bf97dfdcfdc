package dev.runctl.steps.deps;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runctl.engine.exec.RunResult;
import dev.runctl.steps.testing.SpecRun;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DepsStepTest {
  @TempDir Path project;

  private static final String SPEC =
      """
      version: 1
      name: deps
      steps:
        - id: deps
          uses: deps
          with: {requirements: req/requirements.txt, pip_args: ["--no-index"]}
      """;

  @Test
  void aFailedInstallShowsPipsErrorInTheMessageAndStreamsItToTheLog() throws Exception {
    SpecRun run = new SpecRun(project);
    run.write("req/requirements.txt", "runctl-no-such-package-xyz==1.0\n");
    RunResult r = run.apply(SPEC);
    run.assertStatus(r, "failed");
    String message = run.step(r.runId(), "deps").message();
    assertThat(message)
        .contains("could not install req/requirements.txt (pip failed)")
        .contains("pip exited with code 1")
        .contains("No matching distribution found for runctl-no-such-package-xyz==1.0");
    assertThat(run.log(r.runId(), "deps")).contains("Could not find a version that satisfies");
  }

  @Test
  void anUnchangedRequirementsFileReusesTheEnvironmentAndAChangeMakesANewOne() throws Exception {
    SpecRun run = new SpecRun(project);
    run.write("req/requirements.txt", "# nothing yet\n");
    RunResult first = run.apply(SPEC);
    run.assertStatus(first, "succeeded");
    assertThat(run.outputs(first.runId(), "deps")).containsEntry("reused", "false");
    String python = run.outputs(first.runId(), "deps").get("python");
    assertThat(Path.of(python)).isExecutable();
    assertThat(python).startsWith(project.resolve(".runctl/cache/venvs").toString());

    RunResult second = run.apply(SPEC);
    assertThat(run.outputs(second.runId(), "deps"))
        .containsEntry("reused", "true")
        .containsEntry("python", python);

    run.write("req/requirements.txt", "# something else\n");
    RunResult third = run.apply(SPEC);
    assertThat(run.outputs(third.runId(), "deps")).containsEntry("reused", "false");
    assertThat(run.outputs(third.runId(), "deps").get("python")).isNotEqualTo(python);
  }

  @Test
  void twoRunsThatNeedTheSameEnvironmentAtOnceBuildItOnce() throws Exception {
    SpecRun run = new SpecRun(project);
    run.write("req/requirements.txt", "# nothing\n");
    var plan = run.plan(SPEC);
    java.util.List<RunResult> results =
        java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    Thread[] threads = new Thread[2];
    for (int i = 0; i < 2; i++) {
      threads[i] =
          new Thread(
              () -> {
                try {
                  results.add(run.harness().apply(plan));
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              });
      threads[i].start();
    }
    for (Thread t : threads) {
      t.join(120_000);
    }
    assertThat(results).hasSize(2);
    long made = 0;
    for (RunResult r : results) {
      run.assertStatus(r, "succeeded");
      made += run.log(r.runId(), "deps").contains("creating the virtual environment") ? 1 : 0;
    }
    assertThat(made).as("environments made").isEqualTo(1);
  }
}
