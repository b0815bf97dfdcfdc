package dev.runctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class PlanCommandTest {
  @TempDir Path dir;
  Path spec;

  static final String VALID =
      """
      version: 1
      name: tiny-mlp
      description: A test job.
      workdir: project
      env: {SEED: "7", API_TOKEN: "s3cr3t-value"}
      budget: {max_duration: 1h}
      steps:
        - id: provision
          uses: provision
        - id: sync
          uses: sync
        - id: deps
          uses: deps
          with: {requirements: requirements.txt}
        - id: lint
          uses: run
          needs: [deps]
          with: {command: ["true"]}
        - id: train
          uses: train
          needs: [deps]
          timeout: 2h
          with: {script: train.py, args: ["--epochs", "8"]}
        - id: teardown
          uses: teardown
          needs: [lint, train]
          when: always
      """;

  @BeforeEach
  void project() throws IOException {
    Files.createDirectories(dir.resolve("project"));
    Files.writeString(dir.resolve("project/train.py"), "print('hi')\n");
    Files.writeString(dir.resolve("project/requirements.txt"), "\n");
    spec = dir.resolve("job.yaml");
    Files.writeString(spec, VALID);
  }

  @Test
  void validSpecPrintsThePlanAndExitsZero() {
    CliRun run = CliRun.of("plan", spec.toString());
    assertThat(run.exitCode()).isZero();
    assertThat(run.err()).isEmpty();
    assertThat(run.out())
        .contains("job      tiny-mlp: A test job.")
        .contains("target   local")
        .contains("wave 1\n  provision  (uses provision)")
        .contains("wave 4 (2 steps may run in parallel)")
        .contains("    timeout  2h per attempt")
        .contains(
            "    retry    5 attempts; waits 5s x2.0 up to 5m, jittered; on error, timeout,"
                + " interruption")
        .contains("    when     always")
        .contains("    script   train.py")
        .contains("plan ok; nothing was created or written");
    assertThat(run.out().indexOf("  lint  ")).isLessThan(run.out().indexOf("  train  "));
  }

  @Test
  void planCheckLooksAtThisComputerForTheLocalTarget() {
    CliRun run = CliRun.with(Components.standard(), "plan", "--check", spec.toString());
    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    assertThat(run.out())
        .contains("plan ok; nothing was created or written")
        .containsPattern("check +ok +python: python3: Python 3\\.")
        .containsPattern("check +ok +disk: [0-9.]+ GiB free in /");
  }

  @Test
  void planNeverShowsEnvironmentValues() {
    CliRun text = CliRun.of("plan", spec.toString());
    CliRun json = CliRun.of("plan", spec.toString(), "--output", "json");
    assertThat(text.out()).contains("API_TOKEN").doesNotContain("s3cr3t-value");
    assertThat(json.out()).contains("API_TOKEN").doesNotContain("s3cr3t-value");
  }

  @Test
  void invalidSpecPrintsEveryDiagnosticAndExitsTwo() throws IOException {
    Files.writeString(spec, VALID.replace("uses: train", "uses: trian").replace("2h", "2 hours"));
    CliRun run = CliRun.of("plan", spec.toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.err())
        .contains(spec + ":22:14: error: 'timeout': '2 hours' is not a duration")
        .contains(spec + ":20:11: error: unknown step type 'trian'\n  hint: did you mean 'train'?")
        .contains("2 errors in " + spec)
        .doesNotContain("Exception")
        .doesNotContain("\tat ");
  }

  @Test
  void jsonOutputIsOneTypedObjectPerLine() throws IOException {
    CliRun ok = CliRun.of("--output", "json", "plan", spec.toString());
    assertThat(ok.exitCode()).isZero();
    List<JsonNode> lines = parse(ok.out());
    assertThat(lines)
        .extracting(n -> n.get("type").asString())
        .containsExactly(
            "plan", "target", "step", "step", "step", "step", "step", "step", "result");
    assertThat(lines.get(2).get("id").asString()).isEqualTo("provision");
    assertThat(lines.get(2).get("retry").get("maxAttempts").asInt()).isEqualTo(5);
    assertThat(lines.get(8).get("valid").asBoolean()).isTrue();

    Files.writeString(
        spec,
        VALID.replace("needs: [deps]\n    with: {command", "needs: [dpes]\n    with: {command"));
    CliRun bad = CliRun.of("plan", "--output=json", spec.toString());
    assertThat(bad.exitCode()).isEqualTo(2);
    List<JsonNode> diag = parse(bad.out());
    JsonNode d = diag.get(0);
    assertThat(d.get("type").asString()).isEqualTo("diagnostic");
    assertThat(d.get("file").asString()).isEqualTo(spec.toString());
    assertThat(d.get("line").asInt()).isEqualTo(17);
    assertThat(d.get("column").asInt()).isEqualTo(13);
    assertThat(d.get("severity").asString()).isEqualTo("error");
    assertThat(d.get("message").asString())
        .isEqualTo("step 'lint' needs 'dpes', which is not a step of this job");
    assertThat(d.get("hint").asString()).isEqualTo("did you mean 'deps'?");
    assertThat(diag.get(diag.size() - 1).get("type").asString()).isEqualTo("result");
  }

  @Test
  void planWritesNothing() throws IOException {
    Path state = dir.resolve("state");
    List<Path> before = tree();
    CliRun run = CliRun.of("plan", spec.toString(), "--state-dir", state.toString());
    assertThat(run.exitCode()).isZero();
    assertThat(state).doesNotExist();
    assertThat(tree()).isEqualTo(before);
    assertThat(Path.of(RunctlCommand.DEFAULT_STATE_DIR)).doesNotExist();
  }

  @Test
  void budgetAndPriceAreShownForAPricedTarget() throws IOException {
    Files.writeString(
        spec,
        VALID.replace(
            "budget: {max_duration: 1h}",
            "budget: {max_duration: 6h, max_cost: 2}\ntarget: {provider: aws, region: us-east-1,"
                + " instance_type: g5.xlarge, market: spot, max_price: 0.60, image: ami-1,"
                + " iam_instance_profile: p, bucket: my-bucket}"));
    CliRun run = CliRun.of("plan", spec.toString());
    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .contains("target   aws")
        .contains("price    $0.60/h; max_duration 6h costs at most $3.60")
        .contains("budget   max_duration 6h, max_cost $2")
        .contains("plan ok with 1 warning");
    assertThat(run.err())
        .contains("warning: budget: 6h at $0.60/h costs up to $3.60, more than max_cost $2");
  }

  private List<Path> tree() throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.sorted().toList();
    }
  }

  static List<JsonNode> parse(String out) {
    JsonMapper m = JsonMapper.builder().build();
    return out.lines().map(m::readTree).toList();
  }
}
