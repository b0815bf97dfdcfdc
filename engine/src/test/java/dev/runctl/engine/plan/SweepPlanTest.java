package dev.runctl.engine.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runctl.engine.spec.MatrixSpec;
import dev.runctl.engine.spec.SpecLoader;
import dev.runctl.engine.spec.fixtures.FixtureTargets;
import dev.runctl.engine.spi.Diagnostic;
import dev.runctl.engine.spi.Position;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SweepPlanTest {
  private static final Path VALID = Path.of("src/test/resources/specs/valid");

  private static LoadResult plan(Path file) {
    return new Planner(FixtureTargets.registry())
        .plan(new SpecLoader(FixtureTargets.registry()).load(file));
  }

  private static MatrixSpec matrix(
      Map<String, List<String>> axes,
      List<Map<String, String>> include,
      List<Map<String, String>> exclude) {
    return new MatrixSpec(axes, include, exclude, 4, false, new Position("x", 1, 1));
  }

  private static Map<String, String> m(String... kv) {
    Map<String, String> out = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      out.put(kv[i], kv[i + 1]);
    }
    return out;
  }

  @Test
  void combinationsFollowGithubActions() {
    // the example of GitHub's documentation on include
    MatrixSpec spec =
        matrix(
            new LinkedHashMap<>(
                Map.of("fruit", List.of("apple", "pear"), "animal", List.of("cat", "dog"))),
            List.of(
                m("color", "green"),
                m("color", "pink", "animal", "cat"),
                m("fruit", "apple", "shape", "circle"),
                m("fruit", "banana"),
                m("fruit", "banana", "animal", "cat")),
            List.of());
    Map<String, List<String>> axes = new LinkedHashMap<>();
    axes.put("fruit", List.of("apple", "pear"));
    axes.put("animal", List.of("cat", "dog"));
    spec = new MatrixSpec(axes, spec.include(), List.of(), 4, false, spec.position());
    assertThat(spec.combinations())
        .containsExactly(
            m("fruit", "apple", "animal", "cat", "color", "pink", "shape", "circle"),
            m("fruit", "apple", "animal", "dog", "color", "green", "shape", "circle"),
            m("fruit", "pear", "animal", "cat", "color", "pink"),
            m("fruit", "pear", "animal", "dog", "color", "green"),
            m("fruit", "banana"),
            m("fruit", "banana", "animal", "cat"));
  }

  @Test
  void excludeRemovesEveryCombinationThatMatchesAllItsKeys() {
    Map<String, List<String>> axes = new LinkedHashMap<>();
    axes.put("lr", List.of("0.1", "0.01"));
    axes.put("seed", List.of("1", "2", "3"));
    MatrixSpec spec =
        matrix(axes, List.of(), List.of(m("lr", "0.01", "seed", "2"), m("seed", "3")));
    assertThat(spec.combinations())
        .containsExactly(
            m("lr", "0.1", "seed", "1"), m("lr", "0.1", "seed", "2"), m("lr", "0.01", "seed", "1"));
  }

  @Test
  void aSweepSpecPlansWithItsCombinationsAndEachChildGetsItsShare() {
    LoadResult result = plan(VALID.resolve("sweep.yaml"));
    assertThat(result.diagnostics()).filteredOn(d -> d.severity().name().equals("ERROR")).isEmpty();
    Plan plan = ((LoadResult.Loaded) result).plan();
    MatrixSpec matrix = plan.job().matrix().orElseThrow();
    assertThat(matrix.maxParallel()).isEqualTo(2);
    assertThat(matrix.failFast()).isTrue();
    assertThat(matrix.names()).containsExactly("lr", "seed", "tag");
    assertThat(matrix.combinations())
        .containsExactly(
            m("lr", "0.001", "seed", "1", "tag", "fast"),
            m("lr", "0.001", "seed", "2", "tag", "fast"),
            m("lr", "0.0003", "seed", "1"),
            m("lr", "0.01", "seed", "9"));
    SweepBudget b = SweepBudget.of(plan.job(), plan.targetConfig());
    assertThat(b.perChild()).contains(new BigDecimal("1.20"));
    assertThat(b.total()).contains(new BigDecimal("4.80"));
    assertThat(b.overBudget()).isFalse();
    assertThat(SweepBudget.share(plan.job().budget(), 3).maxCost())
        .contains(new BigDecimal("6.66"));
  }

  @Test
  void aSweepThatCannotFitItsBudgetIsRefusedWithTheFigures(@TempDir Path dir) throws Exception {
    Path file = copy(dir, "max_cost: 20", "max_cost: 4");
    LoadResult result = plan(file);
    assertThat(result).isInstanceOf(LoadResult.Invalid.class);
    assertThat(result.diagnostics())
        .extracting(Diagnostic::message)
        .containsExactly(
            "the sweep cannot fit its budget: 4 combinations x 2h at $0.60/h = $4.80, more than"
                + " max_cost $4 (the budget of a sweep is its children's total)");
    assertThat(result.diagnostics().get(0).hint()).contains("3 of them fit");
    assertThat(result.diagnostics().get(0).position().line()).isEqualTo(4);
  }

  @Test
  void anUnknownMatrixNameIsReportedWhereItIsWithTheNamesThatExist(@TempDir Path dir)
      throws Exception {
    Path file = copy(dir, "${{ matrix.seed }}", "${{ matrix.sed }}");
    LoadResult result = plan(file);
    assertThat(result.diagnostics())
        .extracting(d -> d.position().line() + ":" + d.message() + " / " + d.hint())
        .containsExactly(
            "29:${{ matrix.sed }} names no value of the matrix; it has lr, seed, tag / did you"
                + " mean 'seed'?");
  }

  @Test
  void sweepKeysWithoutAMatrixAndAnExcludeOfAnUnknownKeyAreErrors(@TempDir Path dir)
      throws Exception {
    Path file = copy(dir, "exclude: [{lr: 0.0003, seed: 2}]", "exclude: [{lr: 0.0003, sead: 2}]");
    assertThat(plan(file).diagnostics())
        .extracting(Diagnostic::message)
        .contains("exclude names 'sead', which is not a key of the matrix");
    String text = Files.readString(VALID.resolve("fanout.yaml")) + "max_parallel: 0\n";
    Path f2 = Files.writeString(dir.resolve("f2.yaml"), text);
    assertThat(plan(f2).diagnostics())
        .extracting(Diagnostic::message)
        .contains(
            "'max_parallel' must be at least 1",
            "'max_parallel' applies to a sweep, and this spec has no matrix:");
  }

  private static Path copy(Path dir, String from, String to) throws Exception {
    String text = Files.readString(VALID.resolve("sweep.yaml")).replace(from, to);
    Files.createDirectories(dir.resolve("project/training"));
    Files.writeString(dir.resolve("project/training/tiny_mlp.py"), "");
    Files.createDirectories(dir.resolve("specs"));
    return Files.writeString(dir.resolve("specs/sweep.yaml"), text);
  }
}
