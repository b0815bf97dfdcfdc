package dev.runctl.steps.teardown;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runctl.engine.exec.RunResult;
import dev.runctl.steps.testing.SpecRun;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TeardownStepTest {
  @TempDir Path project;

  private static String spec(String command, String keep) {
    return """
        version: 1
        name: teardown
        steps:
          - {id: provision, uses: provision}
          - {id: sync, uses: sync}
          - id: work
            uses: run
            with: {shell: "mkdir -p out/sub && echo model > out/sub/model.pt && echo log > out/run.log && %s"}
          - id: teardown
            uses: teardown
            when: always
            with: {collect: ["out/sub/", "out/run.log", "absent/"], keep_on_failure: %s}
        """
        .formatted(command, keep);
  }

  @Test
  void collectsKeepingFoldersThenRemovesTheWorkspaceIdempotently() throws Exception {
    SpecRun run = new SpecRun(project);
    run.write("x.txt", "x");
    RunResult r =
        run.apply(spec("true", "false") + "  - {id: again, uses: teardown, when: always}\n");
    run.assertStatus(r, "succeeded");
    Path artifacts = run.runDir(r.runId()).resolve("artifacts");
    assertThat(artifacts.resolve("out/sub/model.pt")).hasContent("model");
    assertThat(artifacts.resolve("out/run.log")).hasContent("log");
    assertThat(run.runDir(r.runId()).resolve("workspace")).doesNotExist();
    assertThat(run.log(r.runId(), "teardown")).contains("nothing to collect at absent/");
    assertThat(run.log(r.runId(), "again")).contains("already gone");
  }

  @Test
  void keepOnFailureKeepsTheWorkspaceOfAFailedRunAndSaysSo() throws Exception {
    SpecRun run = new SpecRun(project);
    run.write("x.txt", "x");
    RunResult r = run.apply(spec("exit 1", "true"));
    run.assertStatus(r, "failed");
    assertThat(run.runDir(r.runId()).resolve("workspace/out/sub/model.pt")).exists();
    assertThat(run.runDir(r.runId()).resolve("artifacts/out/sub/model.pt")).exists();
    assertThat(run.outputs(r.runId(), "teardown")).containsEntry("kept", "true");
    assertThat(run.log(r.runId(), "teardown"))
        .contains("keeping local-" + r.runId() + " for debugging")
        .contains("runctl destroy " + r.runId());
    assertThat(run.state(r.runId()).warnings())
        .anySatisfy(w -> assertThat(w).contains("keep_on_failure"));
  }
}
