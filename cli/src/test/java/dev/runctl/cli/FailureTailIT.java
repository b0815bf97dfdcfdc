package dev.runctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A failed step's last output is shown once at the end of the run, not once per message. */
class FailureTailIT {
  @TempDir Path dir;

  @Test
  void theLastOutputBlockIsPrintedOnce() throws Exception {
    Runctl runctl = new Runctl(dir);
    Path spec =
        runctl.spec(
            "job.yaml",
            """
            version: 1
            name: tail
            steps:
              - id: boom
                uses: run
                with: {shell: "echo the-marker-line; exit 3"}
            """);
    Runctl.Result r = runctl.run("apply", spec.toString(), "--quiet");
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
    String all = r.stdout() + r.stderr();
    assertThat(all.split("the-marker-line", -1)).as(r.toString()).hasSize(2);
    assertThat(r.stdout())
        .contains("boom failed in ")
        .contains("the shell script exited with code 3 (its last output is above)");
  }
}
