package dev.runctl.steps;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runctl.engine.spi.Diagnostic;
import dev.runctl.steps.testing.SpecRun;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the step types report about their {@code with:} at plan time, with positions and fixes. */
class ConfigureTest {
  @TempDir Path project;

  private List<String> problems(String steps) {
    SpecRun run = new SpecRun(project);
    run.write("train.py", "print(1)\n");
    return run.problems("version: 1\nname: cfg\nsteps:\n" + steps).stream()
        .map(Diagnostic::render)
        .toList();
  }

  @Test
  void aMissingScriptIsNamedWithItsPositionAndTheWorkdir() {
    assertThat(problems("  - {id: train, uses: train, with: {script: trian.py}}\n"))
        .anySatisfy(
            d ->
                assertThat(d)
                    .contains("job.yaml:4:")
                    .contains("trian.py")
                    .contains("does not exist"));
  }

  @Test
  void aMissingScriptOrRequirementsFileIsReportedOnceWithTheLookedForPath() {
    List<String> found =
        problems(
            "  - {id: deps, uses: deps, with: {requirements: reqs.txt}}\n"
                + "  - {id: train, uses: train, with: {script: trian.py}}\n");
    assertThat(found.stream().filter(d -> d.contains("does not exist")))
        .hasSize(2)
        .anySatisfy(
            d -> assertThat(d).contains("step 'deps' needs 'reqs.txt'").contains("looked for"))
        .anySatisfy(
            d -> assertThat(d).contains("step 'train' needs 'trian.py'").contains("looked for"));
  }

  @Test
  void aScriptThatHoldsAnExpressionIsNotCheckedAtPlanTime() {
    assertThat(
            problems(
                "  - {id: a, uses: run, with: {command: [\"true\"]}}\n"
                    + "  - {id: train, uses: train, with: {script: \"${{ steps.a.outputs.script }}\"}}\n"))
        .noneSatisfy(d -> assertThat(d).contains("does not exist"));
  }

  @Test
  void badDurationsAndComparisonsAreReported() {
    assertThat(
            problems(
                "  - {id: train, uses: train, with: {script: train.py, progress_timeout: soon}}\n"))
        .anySatisfy(d -> assertThat(d).contains("job.yaml:4:"));
    assertThat(
            problems(
                "  - {id: v, uses: verify, with: {metrics: {file: m.json, expect: {acc: \"~0.9\"}}}}\n"))
        .anySatisfy(d -> assertThat(d).contains("'~0.9' is not a comparison"));
  }

  @Test
  void aMissingRequirementsFileAndAnEscapingCollectPathAreReported() {
    assertThat(problems("  - {id: deps, uses: deps, with: {requirements: req.txt}}\n"))
        .anySatisfy(d -> assertThat(d).contains("req.txt"));
    assertThat(problems("  - {id: t, uses: teardown, with: {collect: [\"../outside\"]}}\n"))
        .anySatisfy(d -> assertThat(d).contains("must stay inside the workdir"));
  }

  @Test
  void theQuickstartOfTheRepositoryPlansWithoutProblems() {
    Path repo = Path.of("").toAbsolutePath();
    while (!repo.resolve("specs/examples/quickstart.yaml").toFile().exists()) {
      repo = repo.getParent();
    }
    var result =
        new dev.runctl.engine.plan.Planner(SpecRun.REGISTRY)
            .plan(
                new dev.runctl.engine.spec.SpecLoader(SpecRun.REGISTRY)
                    .load(repo.resolve("specs/examples/quickstart.yaml")));
    assertThat(result).isInstanceOf(dev.runctl.engine.plan.LoadResult.Loaded.class);
    assertThat(result.diagnostics()).isEmpty();
  }
}
