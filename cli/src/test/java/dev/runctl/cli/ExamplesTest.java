package dev.runctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every shipped example plans cleanly with the real step types and targets. */
class ExamplesTest {
  static final Path EXAMPLES = Path.of("../specs/examples");

  static Stream<Path> examples() throws IOException {
    try (Stream<Path> files = Files.list(EXAMPLES)) {
      return files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList().stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void examplePlansWithoutErrors(Path spec) {
    CliRun run = CliRun.with(Components.standard(), "plan", spec.toString());
    assertThat(run.err()).doesNotContain("error:");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("plan ok");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void exampleUsesTheCanonicalStepsInOrder(Path spec) {
    CliRun run = CliRun.with(Components.standard(), "plan", spec.toString());
    String out = run.out();
    int last = -1;
    for (String step : new String[] {"provision", "sync", "deps", "train", "verify", "teardown"}) {
      int at = out.indexOf("  " + step + "  (uses " + step + ")");
      assertThat(at).as(step).isGreaterThan(last);
      last = at;
    }
  }

  @org.junit.jupiter.api.Test
  void awsExampleShowsPriceAndBudget() {
    CliRun run =
        CliRun.with(
            Components.standard(), "plan", EXAMPLES.resolve("aws-spot-gpu.yaml").toString());
    assertThat(run.out())
        .contains("target   aws")
        .contains("market: spot")
        .contains("price    $0.60/h; max_duration 6h costs at most $3.60")
        .contains("budget   max_duration 6h, max_cost $5");
  }
}
