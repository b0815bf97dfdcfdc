package dev.runctl.steps.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runctl.engine.exec.RunResult;
import dev.runctl.engine.spi.Diagnostic;
import dev.runctl.steps.testing.SpecRun;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VerifyStepTest {
  @TempDir Path project;

  private static String spec(String with) {
    return """
        version: 1
        name: verify
        steps:
          - id: verify
            uses: verify
            with: %s
        """
        .formatted(with);
  }

  @Test
  void passesWhenFilesAndMetricsHold() throws Exception {
    SpecRun run = new SpecRun(project);
    run.write("out/ckpt-1.json", "{}");
    run.write("out/metrics.json", "{\"accuracy\": 0.93, \"eval\": {\"loss\": 0.2}}");
    RunResult r =
        run.apply(
            spec(
                "{files: [\"out/*.json\", \"out/\"], metrics: {file: out/metrics.json,"
                    + " expect: {accuracy: \">= 0.90\", eval.loss: \"< 0.5\"}}}"));
    run.assertStatus(r, "succeeded");
    assertThat(run.outputs(r.runId(), "verify")).containsEntry("checks", "4");
  }

  @Test
  void reportsEveryProblemWithExpectedAndFound() throws Exception {
    SpecRun run = new SpecRun(project);
    run.write("out/empty.json", "");
    run.write("out/metrics.json", "{\"accuracy\": 0.42, \"name\": \"x\"}");
    RunResult r =
        run.apply(
            spec(
                "{files: [\"out/*.json\", \"models/**/*.pt\", \"out/empty.json\"], metrics: {file: out/metrics.json,"
                    + " expect: {accuracy: \">= 0.90\", name: \"== 1\", f1: \"> 0.5\"}}}"));
    run.assertStatus(r, "failed");
    assertThat(run.step(r.runId(), "verify").message())
        .contains("verify found 5 problem(s)")
        .contains("files 'models/**/*.pt': expected at least one file, found none")
        .contains("files 'out/empty.json': expected a non-empty file, found only empty ones")
        .contains("accuracy: expected >= 0.90, found 0.42")
        .contains("name: expected == 1, found \"x\" (not a number)")
        .contains("f1: expected > 0.5, found no such key");
  }

  @Test
  void aMissingMetricsFileSaysWhereItLooked() throws Exception {
    SpecRun run = new SpecRun(project);
    RunResult r = run.apply(spec("{metrics: {file: nope.json, expect: {accuracy: \">= 0.9\"}}}"));
    run.assertStatus(r, "failed");
    assertThat(run.step(r.runId(), "verify").message())
        .contains("metrics file nope.json does not exist (looked in " + project);
  }

  @Test
  void aBadComparisonIsAPlanError() {
    SpecRun run = new SpecRun(project);
    var problems =
        run.problems(spec("{metrics: {file: m.json, expect: {accuracy: \"at least 0.9\"}}}"));
    assertThat(problems)
        .extracting(Diagnostic::render)
        .anySatisfy(
            d ->
                assertThat(d)
                    .contains("job.yaml:6:")
                    .contains("'at least 0.9' is not a comparison")
                    .contains(">= 0.90"));
  }
}
