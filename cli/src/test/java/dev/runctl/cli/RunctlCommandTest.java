package dev.runctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import tools.jackson.databind.json.JsonMapper;

class RunctlCommandTest {

  @Test
  void helpAndVersionExitZero() {
    CliRun help = CliRun.of("--help");
    assertThat(help.exitCode()).isZero();
    assertThat(help.out()).contains("Usage: runctl").contains("Examples:").contains("plan");
    CliRun version = CliRun.of("--version");
    assertThat(version.exitCode()).isZero();
    assertThat(version.out()).startsWith("runctl ");
    assertThat(CliRun.of().exitCode()).isZero();
  }

  @Test
  void everyCommandHasExamplesInItsHelp() {
    CommandLine cl =
        RunctlCommand.commandLine(
            Components.of(dev.runctl.engine.spec.fixtures.FixtureTargets.registry()),
            new java.io.PrintWriter(new java.io.StringWriter()),
            new java.io.PrintWriter(new java.io.StringWriter()));
    for (Map.Entry<String, CommandLine> sub : cl.getSubcommands().entrySet()) {
      if (sub.getKey().equals("help")) {
        continue;
      }
      assertThat(sub.getValue().getUsageMessage()).as(sub.getKey()).contains("Examples:");
    }
  }

  @Test
  void usageErrorsExitTwoWithAClearMessageAndNoStackTrace() {
    CliRun unknown = CliRun.of("plan", "--outptu", "json", "x.yaml");
    assertThat(unknown.exitCode()).isEqualTo(2);
    assertThat(unknown.err())
        .contains("error: Unknown option")
        .contains("'--outptu'")
        .contains("hint: did you mean --output?")
        .doesNotContain("\tat ");
    CliRun missing = CliRun.of("plan");
    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(missing.err()).contains("error: Missing required parameter: 'FILE'");
    CliRun format = CliRun.of("--output", "yaml", "plan", "x.yaml");
    assertThat(format.exitCode()).isEqualTo(2);
    assertThat(format.err()).contains("'yaml' is not an output format; use text or json");
    CliRun command = CliRun.of("plna", "x.yaml");
    assertThat(command.exitCode()).isEqualTo(2);
    assertThat(command.err()).contains("did you mean plan");
  }

  @Test
  void usageErrorsInJsonModeAreJson() {
    CliRun run = CliRun.of("--output", "json", "plan");
    assertThat(run.exitCode()).isEqualTo(2);
    var node = JsonMapper.builder().build().readTree(run.out().strip());
    assertThat(node.get("type").asString()).isEqualTo("error");
    assertThat(node.get("message").asString()).contains("FILE");
  }

  @Test
  void missingFileIsADiagnosticNotAStackTrace() {
    CliRun run = CliRun.of("plan", "no/such/job.yaml", "--debug");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("no/such/job.yaml:1:1: error: the spec file does not exist");
    assertThat(run.err()).doesNotContain("\tat ");
  }

  @Test
  void schemaPrintsTheJsonSchema() {
    CliRun run = CliRun.of("schema");
    assertThat(run.exitCode()).isZero();
    var schema = JsonMapper.builder().build().readTree(run.out());
    assertThat(schema.get("$schema").asString()).contains("2020-12");
    assertThat(schema.get("properties").get("steps").get("description").asString()).isNotBlank();
    CliRun json = CliRun.of("schema", "--output", "json");
    var line = JsonMapper.builder().build().readTree(json.out().strip());
    assertThat(line.get("type").asString()).isEqualTo("schema");
    assertThat(line.get("schema").get("title").asString()).contains("runctl");
  }

  @Test
  void internalErrorsSayTheyAreBugsAndShowTracesOnlyWithDebug() {
    Components broken =
        new Components(
            () -> {
              throw new IllegalStateException("registry exploded");
            });
    CliRun plain = CliRun.with(broken, "plan", "x.yaml");
    assertThat(plain.exitCode()).isEqualTo(1);
    assertThat(plain.err())
        .contains("error: internal error: java.lang.IllegalStateException: registry exploded")
        .contains("hint: this is a bug in runctl")
        .doesNotContain("\tat ");
    CliRun debug = CliRun.with(broken, "plan", "x.yaml", "--debug");
    assertThat(debug.err()).contains("\tat ");
  }

  @Test
  void stateDirComesFromOptionOrEnvironmentDefault() {
    RunctlCommand root =
        new RunctlCommand(Components.of(dev.runctl.engine.spec.fixtures.FixtureTargets.registry()));
    new CommandLine(root).parseArgs("--state-dir", "/tmp/elsewhere", "schema");
    assertThat(root.stateDir()).hasToString("/tmp/elsewhere");
    RunctlCommand plain =
        new RunctlCommand(Components.of(dev.runctl.engine.spec.fixtures.FixtureTargets.registry()));
    new CommandLine(plain).parseArgs("schema");
    String env = System.getenv("RUNCTL_STATE_DIR");
    assertThat(plain.stateDir()).hasToString(env == null ? ".runctl" : env);
  }
}
