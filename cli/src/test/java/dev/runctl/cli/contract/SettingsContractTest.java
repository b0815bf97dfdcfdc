package dev.runctl.cli.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runctl.cli.Components;
import dev.runctl.cli.RunctlCommand;
import dev.runctl.engine.registry.Registry;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Adding a step type or a target is a class and a line in a registry: a step type and a provider
 * that exist only in this test declare their settings, which then appear in the composed schema,
 * are checked by {@code plan} with file:line:col diagnostics, and reach the step and the target,
 * with no engine code knowing them.
 */
class SettingsContractTest {
  private final GreetStep greet = new GreetStep();
  private final TestboxProvider testbox = new TestboxProvider();
  private final Components components =
      Components.of(new Registry(List.of(greet), List.of(testbox)));
  @TempDir Path dir;

  record Run(int code, String out, String err) {}

  private Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        RunctlCommand.commandLine(components, new PrintWriter(out), new PrintWriter(err))
            .execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  private Path spec(String text) throws IOException {
    return Files.writeString(dir.resolve("job.yaml"), text);
  }

  @Test
  void theirSettingsAppearInTheComposedSchema() {
    Run run = run("schema");
    assertThat(run.code()).isZero();
    JsonNode schema = JsonMapper.shared().readTree(run.out());
    JsonNode greeting = schema.at("/$defs/greetWith/properties/greeting");
    assertThat(greeting.get("description").asString()).startsWith("What to say");
    JsonNode flavour = schema.at("/$defs/testboxTarget/properties/flavour");
    assertThat(flavour.get("enum").toString()).isEqualTo("[\"plain\",\"fancy\"]");
    assertThat(schema.at("/$defs/target/properties/provider/examples").toString())
        .isEqualTo("[\"testbox\"]");
    assertThat(schema.at("/$defs/step/properties/uses/examples").toString())
        .isEqualTo("[\"greet\"]");
  }

  @Test
  void planChecksThemWithLineAndColumn() throws IOException {
    Path spec =
        spec(
            """
            version: 1
            name: contract
            target:
              provider: testbox
              flavour: fency
              slots: 0
            steps:
              - id: hello
                uses: greet
                with:
                  greeting: hello
                  times: 4
                  pause: soon
                  colour: red
              - id: again
                uses: greet
                with: {times: 2}
            """);
    Run run = run("plan", spec.toString());
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err())
        .contains(spec + ":5:12: error: 'flavour' cannot be 'fency'")
        .contains("hint: did you mean 'fancy'?")
        .contains(spec + ":6:10: error: 'slots' must be at least 1")
        .contains(spec + ":11:17: error: greeting 'hello' does not start with a capital letter")
        .contains("hint: e.g. Hello")
        .contains(spec + ":12:14: error: 'times' must be at most 3")
        .contains(spec + ":13:14: error: 'pause': 'soon' is not a duration")
        .contains(spec + ":14:7: error: unknown key 'colour' under 'with'")
        .contains(spec + ":17:5: error: missing required key 'greeting' in 'with'")
        .contains("hint: e.g. greeting: Hello");
  }

  @Test
  void theirSettingsReachTheStepAndTheTarget() throws IOException {
    Path spec =
        spec(
            """
            version: 1
            name: contract
            target: {provider: testbox, flavour: fancy, slots: 2}
            steps:
              - id: hello
                uses: greet
                with: {greeting: Hello, times: 2, pause: 1m30s}
            """);
    assertThat(run("plan", spec.toString()).code()).isZero();
    Run apply = run("--state-dir", dir.resolve("state").toString(), "apply", spec.toString());
    assertThat(apply.code()).as(apply.err()).isZero();
    assertThat(greet.executed)
        .containsExactly(new GreetStep.Config("Hello", 2, Optional.of(Duration.ofSeconds(90))));
    assertThat(testbox.opened).containsExactly(new TestboxProvider.Config("fancy", 2));
  }
}
