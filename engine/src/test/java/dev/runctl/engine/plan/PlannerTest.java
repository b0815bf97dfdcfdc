package dev.runctl.engine.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runctl.engine.spec.SpecLoader;
import dev.runctl.engine.spec.When;
import dev.runctl.engine.spec.fixtures.FixtureTargets;
import dev.runctl.engine.spi.Diagnostic;
import dev.runctl.engine.spi.Diagnostics;
import dev.runctl.engine.spi.ErrorClass;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PlannerTest {
  private static final Path VALID = Path.of("src/test/resources/specs/valid");

  private static Plan load(String name) {
    LoadResult result =
        new dev.runctl.engine.plan.Planner(FixtureTargets.registry())
            .plan(new SpecLoader(FixtureTargets.registry()).load(VALID.resolve(name)));
    assertThat(result.diagnostics()).filteredOn(d -> d.severity().name().equals("ERROR")).isEmpty();
    assertThat(result).isInstanceOf(LoadResult.Loaded.class);
    return ((LoadResult.Loaded) result).plan();
  }

  private static List<String> ids(List<PlannedStep> steps) {
    return steps.stream().map(PlannedStep::id).toList();
  }

  @Test
  void canonicalPipelineChainsEachStepToThePreviousOne() {
    Plan plan = load("pipeline.yaml");
    assertThat(ids(plan.steps()))
        .containsExactly("provision", "sync", "deps", "train", "verify", "teardown");
    assertThat(plan.steps()).extracting(PlannedStep::wave).containsExactly(0, 1, 2, 3, 4, 5);
    assertThat(plan.step("provision").orElseThrow().spec().needs()).isEmpty();
    assertThat(plan.step("verify").orElseThrow().spec().needs()).containsExactly("train");
    assertThat(plan.warnings()).isEmpty();
    assertThat(plan.requiredPaths())
        .containsExactly("training/requirements.txt", "training/tiny_mlp.py");
  }

  @Test
  void defaultsApplyUnderTheStepsOwnSettings() {
    Plan plan = load("pipeline.yaml");
    var train = plan.step("train").orElseThrow().spec();
    assertThat(train.timeout()).contains(Duration.ofHours(2));
    assertThat(train.retry().maxAttempts()).isEqualTo(3);
    var sync = plan.step("sync").orElseThrow().spec();
    assertThat(sync.timeout()).contains(Duration.ofMinutes(30));
    assertThat(sync.retry().maxAttempts()).isEqualTo(2);
    assertThat(sync.retry().on())
        .isEqualTo(Set.of(ErrorClass.ERROR, ErrorClass.TIMEOUT, ErrorClass.INTERRUPTION));
    assertThat(plan.step("teardown").orElseThrow().spec().when()).isEqualTo(When.ALWAYS);
    assertThat(plan.job().env()).containsEntry("SEED", "7");
    assertThat(plan.job().workdir())
        .isEqualTo(VALID.resolve("../project").toAbsolutePath().normalize());
  }

  @Test
  void typeDefaultMaxAttemptsApplyWithoutDefaultsBlock() {
    Plan plan = load("aws-budget.yaml");
    assertThat(plan.step("provision").orElseThrow().spec().retry().maxAttempts()).isEqualTo(5);
    assertThat(plan.step("train").orElseThrow().spec().retry().maxAttempts()).isEqualTo(1);
    assertThat(plan.step("teardown").orElseThrow().spec().retry().maxAttempts()).isEqualTo(5);
  }

  @Test
  void fanOutGetsWavesAndADeterministicOrder() {
    Plan plan = load("fanout.yaml");
    assertThat(ids(plan.steps())).containsExactly("prep", "left", "right", "join", "alone");
    assertThat(plan.waves().stream().map(PlannerTest::ids).toList())
        .containsExactly(List.of("prep", "alone"), List.of("left", "right"), List.of("join"));
  }

  @Test
  void budgetAboveMaxCostIsAWarningNotAnError() {
    Plan plan = load("aws-budget.yaml");
    assertThat(plan.targetConfig().planPricePerHour()).contains(new BigDecimal("0.60"));
    assertThat(BudgetCheck.maxDurationCost(plan.job(), plan.targetConfig()))
        .contains(new BigDecimal("3.60"));
    assertThat(plan.warnings())
        .extracting(Diagnostic::message)
        .containsExactly("budget: 6h at $0.60/h costs up to $3.60, more than max_cost $2");
  }

  @Test
  void plannerWithoutATreeFallsBackToStepPositions() {
    Plan plan = load("fanout.yaml");
    Diagnostics d = new Diagnostics();
    assertThat(new Planner(FixtureTargets.registry()).plan(plan.job(), d)).isPresent();
    assertThat(d.all()).isEmpty();
  }
}
