package dev.runctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sweeps through the real CLI on the local target with the real training script: a 2x2 matrix with
 * one child failing (the others finish, resume runs only that one again), fail_fast, a kill -9 in
 * the middle of a sweep, the sweep's budget and its expressions checked by plan, and the sweep's
 * report.
 */
class SweepIT {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  @TempDir Path dir;
  Runctl runctl;
  Path flag;

  @BeforeEach
  void setUp() throws IOException {
    runctl = new Runctl(dir);
    Path repo = Path.of("").toAbsolutePath();
    while (!Files.exists(repo.resolve("training/tiny_mlp.py"))) {
      repo = repo.getParent();
    }
    Files.createDirectories(dir.resolve("training"));
    Files.copy(
        repo.resolve("training/tiny_mlp.py"),
        dir.resolve("training/tiny_mlp.py"),
        StandardCopyOption.REPLACE_EXISTING);
    Files.createDirectories(dir.resolve("flags"));
    flag = dir.resolve("flags/ok");
  }

  /**
   * A sweep whose child with {@code lr=<failing>} fails in its gate step until {@link #flag}
   * exists.
   */
  String spec(String matrix, String failing, String trainArgs) {
    return """
        version: 1
        name: lr-sweep
        %s
        steps:
          - {id: provision, uses: provision}
          - {id: sync, uses: sync, with: {exclude: ["state/", "flags/", "xdg-state/", "checkpoints/", "out-*.txt", "err-*.txt"]}}
          - id: gate
            uses: run
            with: {shell: 'if [ "${{ matrix.lr }}" = "%s" ] && [ ! -f "%s" ]; then echo "gate closed"; exit 3; fi'}
          - id: train
            uses: train
            with: {script: training/tiny_mlp.py, args: ["--lr", "${{ matrix.lr }}", "--seed", "${{ matrix.seed }}", %s]}
          - {id: teardown, uses: teardown, when: always}
        """
        .formatted(matrix, failing, flag, trainArgs);
  }

  static final String TWO_BY_TWO = "matrix: {lr: [0.3, 0.1], seed: [1, 2]}";

  @Test
  void oneChildFailsTheOthersFinishAndResumeRunsOnlyItAgain() throws Exception {
    Path spec = runctl.spec("sweep.yaml", spec(TWO_BY_TWO, "0.1", "\"--epochs\", \"3\""));

    Runctl.Result applied =
        runctl.run("--output", "json", "apply", spec.toString(), "--parallelism", "2");

    assertThat(applied.exitCode()).as(applied.toString()).isEqualTo(1);
    JsonNode sweep = first(applied.stdout(), "sweep");
    String sweepId = sweep.get("sweepId").asString();
    assertThat(sweep.get("atOnce").asInt())
        .as("--parallelism 2 bounds local children")
        .isEqualTo(2);
    List<String> children = new ArrayList<>();
    sweep.get("children").forEach(c -> children.add(c.get("runId").asString()));
    assertThat(children)
        .containsExactly(sweepId + "-1", sweepId + "-2", sweepId + "-3", sweepId + "-4");
    assertThat(sweep.get("children").get(3).get("combination").toString())
        .isEqualTo("{\"lr\":\"0.1\",\"seed\":\"2\"}");
    assertThat(applied.stdout())
        .as("metric events name their child run")
        .contains("{\"type\":\"metrics\",\"runId\":\"" + sweepId + "-1\"");
    JsonNode ended = first(applied.stdout(), "sweep_ended");
    assertThat(ended.get("status").asString()).isEqualTo("failed");
    assertThat(ended.get("counts").toString()).isEqualTo("{\"succeeded\":2,\"failed\":2}");
    assertThat(status(sweepId)).containsExactly("succeeded", "succeeded", "failed", "failed");

    // the children that succeeded are not touched by the resume
    List<String> journals = new ArrayList<>();
    for (String child : List.of(sweepId + "-1", sweepId + "-2")) {
      journals.add(Files.readString(runctl.runDir(child).resolve("journal.jsonl")));
    }
    Files.writeString(flag, "open\n");
    Runctl.Result resumed = runctl.run("resume", sweepId);

    assertThat(resumed.exitCode()).as(resumed.toString()).isZero();
    assertThat(resumed.stdout())
        .contains("[1 lr=0.3 seed=1] succeeded before; not run again")
        .contains("[2 lr=0.3 seed=2] succeeded before; not run again")
        .contains("[3 lr=0.1 seed=1] run " + sweepId + "-3")
        .containsPattern("\\[3 lr=0\\.1 seed=1\\] \\d\\d:\\d\\d:\\d\\d train succeeded")
        .contains("sweep " + sweepId + " succeeded: 4 succeeded");
    assertThat(resumed.stdout()).doesNotContain("[1 lr=0.3 seed=1] run ");
    for (int i = 0; i < 2; i++) {
      assertThat(Files.readString(runctl.runDir(sweepId + "-" + (i + 1)).resolve("journal.jsonl")))
          .isEqualTo(journals.get(i));
    }
    String failedJournal = Files.readString(runctl.runDir(sweepId + "-4").resolve("journal.jsonl"));
    assertThat(failedJournal)
        .as("the failed child went on from its journal: gate again, as attempt 2")
        .contains("\"step\":\"gate\",\"attempt\":2");
    assertThat(status(sweepId)).containsExactly("succeeded", "succeeded", "succeeded", "succeeded");

    Runctl.Result runs = runctl.run("runs", "--no-check");
    List<String> lines = runs.stdout().lines().toList();
    int at =
        lines.indexOf(
            lines.stream().filter(l -> l.startsWith(sweepId + " ")).findFirst().orElseThrow());
    assertThat(lines.get(at))
        .contains("4 children: 4 succeeded")
        .as("the sweep's start, where a run's line has its own")
        .containsPattern(" succeeded +\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d ");
    for (int i = 1; i <= 4; i++) {
      assertThat(lines.get(at + i)).startsWith("  " + sweepId + "-" + i + " ");
    }

    Runctl.Result table = runctl.run("status", sweepId);
    assertThat(table.stdout())
        .contains("sweep " + sweepId + " (lr-sweep): succeeded")
        .containsPattern("4 +" + sweepId + "-4 +lr=0\\.1 seed=2 +succeeded .*accuracy=0\\.\\d+");

    Runctl.Result report = runctl.run("report", sweepId);
    Path html = Path.of(report.stdout().trim().substring("report: ".length()));
    Document doc = ReportCheck.parse(html);
    assertThat(doc.select("#outcome").text()).isEqualTo("succeeded");
    assertThat(doc.select("table.sortable tr.child")).hasSize(4);
    assertThat(doc.select("table.sortable th.metric").eachText()).contains("accuracy", "loss");
    assertThat(doc.select("table.sortable th.key").eachText()).containsExactly("lr", "seed");
    assertThat(doc.select("svg.chart[data-metric=loss] polyline.curve").eachAttr("data-name"))
        .containsExactly(
            "1 lr=0.3 seed=1", "2 lr=0.3 seed=2", "3 lr=0.1 seed=1", "4 lr=0.1 seed=2");
    assertThat(doc.select("svg.chart[data-metric=accuracy] polyline.curve").eachAttr("data-total"))
        .containsOnly("3");
    ReportCheck.curvesHaveTheirDrawnPoints(doc);
    ReportCheck.rendersWithoutConsoleMessages(html, dir.resolve("sweep-report.png"));
    for (String href : doc.select("table.sortable tr.child a").eachAttr("href")) {
      assertThat(href).as("relative: the state folder can move").doesNotContain(":");
      assertThat(html.getParent().resolve(href)).exists();
    }

    Runctl.Result logs = runctl.run("logs", sweepId, "gate");
    assertThat(logs.exitCode()).as(logs.toString()).isZero();
    assertThat(logs.stdout())
        .contains("[4 lr=0.1 seed=2] gate closed")
        .doesNotContain("[1 lr=0.3 seed=1] gate closed");
    Runctl.Result followed = runctl.run("logs", sweepId, "gate", "--follow");
    assertThat(followed.exitCode()).as(followed.toString()).isZero();
    assertThat(followed.stdout())
        .as("every child followed at once, to its end: the sweep has ended")
        .contains("[4 lr=0.1 seed=2] gate closed")
        .contains("[3 lr=0.1 seed=1] gate closed");

    Runctl.Result destroyed = runctl.run("destroy", sweepId);
    assertThat(destroyed.exitCode()).as(destroyed.toString()).isZero();
    for (int i = 1; i <= 4; i++) {
      assertThat(destroyed.stdout()).contains("run " + sweepId + "-" + i + ": nothing is left");
    }
    assertThat(destroyed.stderr())
        .contains("sweep " + sweepId + ": 4 of 4 children have nothing left");
  }

  @Test
  void failFastCancelsTheOtherChildren() throws Exception {
    String matrix = "matrix: {lr: [0.05, 0.3, 0.1], seed: [1]}\nmax_parallel: 2\nfail_fast: true";
    Path spec =
        runctl.spec(
            "sweep.yaml", spec(matrix, "0.05", "\"--epochs\", \"60\", \"--epoch-seconds\", \"1\""));
    long start = System.nanoTime();

    Runctl.Result applied = runctl.run("apply", spec.toString(), "--parallelism", "4");

    assertThat(applied.exitCode()).as(applied.toString()).isEqualTo(1);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(50));
    String sweepId =
        applied.stdout().lines().findFirst().orElseThrow().split(" ")[1].replace(":", "");
    assertThat(status(sweepId)).containsExactly("failed", "cancelled", "not started");
    assertThat(applied.stdout()).contains("fail_fast: child 1 lr=0.05 seed=1 failed");
  }

  @Test
  void cancelStopsEveryLiveChildAndStartsNoOther() throws Exception {
    String matrix = "matrix: {lr: [0.3, 0.1, 0.05], seed: [1]}\nmax_parallel: 2";
    Path spec =
        runctl.spec(
            "sweep.yaml", spec(matrix, "none", "\"--epochs\", \"60\", \"--epoch-seconds\", \"1\""));
    Runctl.Running apply = runctl.start("apply", spec.toString(), "--parallelism", "4");
    String sweepId = awaitLine(apply, "sweep ").split(" ")[1].replace(":", "");
    for (int i = 1; i <= 2; i++) {
      MetricsIT.awaitContent(
          runctl.runDir(sweepId + "-" + i).resolve("metrics/train.jsonl"), "\"epoch\": 1");
    }

    Runctl.Result cancel = runctl.run("cancel", sweepId, "--wait");

    assertThat(cancel.exitCode()).as(cancel.toString()).isZero();
    assertThat(cancel.stdout())
        .contains("asked 2 live children of sweep " + sweepId + " to stop")
        .contains("sweep " + sweepId + " stopped: no child is live");
    Runctl.Result ended = apply.await(Duration.ofSeconds(60));
    assertThat(ended.exitCode()).as(ended.toString()).isEqualTo(130);
    assertThat(status(sweepId)).containsExactly("cancelled", "cancelled", "not started");
  }

  @Test
  void aSweepKilledMidwayIsResumedFromItsRecord() throws Exception {
    Path spec =
        runctl.spec(
            "sweep.yaml",
            spec(TWO_BY_TWO, "none", "\"--epochs\", \"4\", \"--epoch-seconds\", \"0.7\""));
    Runctl.Running apply = runctl.start("apply", spec.toString(), "--parallelism", "2");
    String first = awaitLine(apply, "sweep ").split(" ")[1].replace(":", "");
    Path metrics = runctl.runDir(first + "-1").resolve("metrics/train.jsonl");
    MetricsIT.awaitContent(metrics, "\"epoch\": 2");
    new ProcessBuilder("kill", "-KILL", Long.toString(apply.pid())).start().waitFor();
    apply.process.waitFor();

    Runctl.Result resumed = runctl.run("resume", first);

    assertThat(resumed.exitCode()).as(resumed.toString()).isZero();
    assertThat(status(first)).containsOnly("succeeded").hasSize(4);
    for (int i = 1; i <= 4; i++) {
      assertThat(MetricsIT.epochs(runctl.runDir(first + "-" + i).resolve("metrics/train.jsonl")))
          .as("child " + i + ": every epoch once")
          .containsExactly(1, 2, 3, 4);
    }
  }

  @Test
  void planShowsTheCombinationsAndRefusesASweepThatCannotFitItsBudget() throws Exception {
    String aws =
        """
        version: 1
        name: lr-sweep
        matrix:
          lr: [0.3, 0.1]
          seed: [1, 2]
        target:
          provider: aws
          region: us-east-1
          instance_type: g5.xlarge
          market: spot
          max_price: 0.60
          image: ami-0123456789abcdef0
          iam_instance_profile: runctl-ssm
          bucket: my-runctl-bucket
        budget: {max_duration: 2h, max_cost: 20}
        steps:
          - {id: provision, uses: provision}
          - id: train
            uses: train
            with: {script: training/tiny_mlp.py, args: ["--lr", "${{ matrix.lr }}", "--seed", "${{ matrix.seed }}"]}
          - {id: teardown, uses: teardown, when: always}
        """;
    Runctl.Result fits = runctl.run("plan", runctl.spec("fits.yaml", aws).toString());
    assertThat(fits.exitCode()).as(fits.toString()).isZero();
    assertThat(fits.stdout())
        .contains("sweep    4 combinations, at most 4 at once")
        .contains("  1  lr=0.3 seed=1")
        .contains("  4  lr=0.1 seed=2")
        .contains("sweep budget  4 x 2h at $0.60/h = up to $4.80 of max_cost $20")
        .contains("each child  max_cost $5.00");

    Runctl.Result over =
        runctl.run(
            "plan",
            runctl.spec("over.yaml", aws.replace("max_cost: 20", "max_cost: 4")).toString());
    assertThat(over.exitCode()).as(over.toString()).isEqualTo(2);
    assertThat(over.stderr())
        .contains(
            "over.yaml:3:1: error: the sweep cannot fit its budget: 4 combinations x 2h at"
                + " $0.60/h = $4.80, more than max_cost $4")
        .contains("3 of them fit");
    Runctl.Result applied =
        runctl.run(
            "apply",
            runctl.spec("over.yaml", aws.replace("max_cost: 20", "max_cost: 4")).toString());
    assertThat(applied.exitCode()).isEqualTo(2);
    assertThat(runctl.stateDir().resolve("sweeps")).doesNotExist();
  }

  @Test
  void anUnknownMatrixNameIsReportedAtItsPlaceWithTheNamesThatExist() throws Exception {
    Path spec =
        runctl.spec(
            "sweep.yaml",
            spec(TWO_BY_TWO, "0.1", "\"--epochs\", \"1\"").replace("matrix.seed", "matrix.sed"));
    Runctl.Result plan = runctl.run("plan", spec.toString());
    assertThat(plan.exitCode()).as(plan.toString()).isEqualTo(2);
    assertThat(plan.stderr())
        .containsPattern(
            "sweep\\.yaml:12:\\d+: error: \\$\\{\\{ matrix\\.sed }} names no value of the matrix;"
                + " it has lr, seed")
        .contains("hint: did you mean 'seed'?");
  }

  /** The status of each child, in order, as {@code status SWEEP --output json} says. */
  private List<String> status(String sweepId) throws Exception {
    Runctl.Result r = runctl.run("--output", "json", "status", sweepId);
    assertThat(r.exitCode()).as(r.toString()).isZero();
    List<String> out = new ArrayList<>();
    for (String line : r.stdout().lines().toList()) {
      JsonNode n = JSON.readTree(line);
      if (n.get("type").asString().equals("sweep_child")) {
        out.add(n.get("status").asString());
      }
    }
    return out;
  }

  private static JsonNode first(String stdout, String type) {
    return stdout
        .lines()
        .map(JSON::readTree)
        .filter(n -> n.get("type").asString().equals(type))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + type + " line in\n" + stdout));
  }

  private static String awaitLine(Runctl.Running r, String prefix) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      for (String l : r.stdout().lines().toList()) {
        if (l.startsWith(prefix)) {
          return l;
        }
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no line starting with '" + prefix + "':\n" + r.stdout());
  }
}
