package dev.runctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Metrics a training reports through {@code $RUNCTL_METRICS}, through the real CLI on the local
 * target with the real training script: followed into the run folder, shown by status and the JSON
 * output, checked by verify without a file, and kept whole across a kill -9 of runctl in the middle
 * of train: every epoch exactly once.
 */
class MetricsIT {
  private static final Pattern EPOCH = Pattern.compile("\"epoch\": (\\d+)");

  @TempDir Path dir;
  Runctl runctl;

  @BeforeEach
  void setUp() throws IOException {
    runctl = new Runctl(dir);
    TrainingProject.withTraining(dir, "tiny_mlp.py");
  }

  static String spec(String args) {
    return """
        version: 1
        name: metrics
        steps:
          - {id: provision, uses: provision}
          - {id: sync, uses: sync, with: {exclude: ["state/", "checkpoints/", "out-*.txt", "err-*.txt"]}}
          - id: train
            uses: train
            with: {script: training/tiny_mlp.py, args: %s, progress_timeout: 1m}
          - id: verify
            uses: verify
            with: {metrics: {expect: {accuracy: ">= 0.90", loss: "< 1"}}}
          - {id: teardown, uses: teardown, when: always, with: {collect: ["checkpoints/"]}}
        """
        .formatted(args);
  }

  @Test
  void killedDuringTrainThenResumedLosesNoPointAndRepeatsNone() throws Exception {
    Path spec =
        runctl.spec("job.yaml", spec("[\"--epochs\", \"6\", \"--epoch-seconds\", \"1.5\"]"));
    Runctl.Running apply = runctl.start("apply", spec.toString());
    String runId = apply.runId(Duration.ofSeconds(60));
    Path copy = runctl.runDir(runId).resolve("metrics/train.jsonl");
    awaitContent(copy, "\"epoch\": 2");
    new ProcessBuilder("kill", "-KILL", Long.toString(apply.pid())).start().waitFor();
    apply.process.waitFor();

    Runctl.Result resumed = runctl.run("--output", "json", "resume", runId);

    assertThat(resumed.exitCode()).as(resumed.toString()).isZero();
    assertThat(resumed.stdout()).contains("\"type\":\"metrics\"").contains("\"xName\":\"step\"");
    assertThat(epochs(copy))
        .as("each epoch the script reported, copied exactly once")
        .containsExactly(1, 2, 3, 4, 5, 6);
    assertThat(runctl.run("logs", runId, "verify").stdout()).doesNotContain("problem");
    Runctl.Result status = runctl.run("status", runId);
    assertThat(status.stdout())
        .containsPattern("last metrics of train: step 720: accuracy 0\\.9\\d+, epoch 6, loss 0\\.");
    Runctl.Result json = runctl.run("--output", "json", "status", runId);
    assertThat(json.stdout()).contains("\"metrics\":[{\"step\":\"train\",\"xName\":\"step\"");

    // the report the resume wrote: a bar per attempt, the gap while runctl was down, the curves
    Path report = runctl.runDir(runId).resolve("report.html");
    assertThat(resumed.stdout()).contains("\"type\":\"report\",\"runId\":\"" + runId);
    org.jsoup.nodes.Document doc = ReportCheck.parse(report);
    assertThat(doc.select("svg.timeline rect.bar"))
        .hasSize((int) ReportCheck.attempts(runctl.runDir(runId).resolve("journal.jsonl")));
    assertThat(doc.select("svg.timeline rect.bar[data-outcome=interrupted][data-step=train]"))
        .as("the train attempt whose runctl was killed")
        .hasSize(1);
    assertThat(doc.select("svg.timeline rect.gap")).hasSize(1);
    assertThat(doc.select("#outcome").text()).isEqualTo("succeeded");
    assertThat(doc.select("svg.chart").eachAttr("data-metric")).contains("accuracy", "loss");
    ReportCheck.curvesHaveTheirDrawnPoints(doc);
    assertThat(doc.select("svg.chart[data-metric=accuracy] polyline").attr("data-points"))
        .isEqualTo("6");
    assertThat(doc.select("svg.chart[data-metric=loss] line.ckpt")).hasSize(6);
    assertThat(doc.select("#spec").text()).contains("name: metrics").contains("tiny_mlp.py");
    ReportCheck.rendersWithoutConsoleMessages(report, dir.resolve("report.png"));
  }

  @Test
  void verifyWithoutAFileChecksTheLastReportedValues() throws Exception {
    Path spec =
        runctl.spec(
            "job.yaml",
            spec("[\"--epochs\", \"1\"]")
                .replace("accuracy: \">= 0.90\"", "accuracy: \">= 0.9999\""));
    Runctl.Result r = runctl.run("apply", spec.toString());
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
    assertThat(r.stderr() + r.stdout())
        .containsPattern("accuracy: expected >= 0.9999, found 0\\.\\d+");
  }

  static List<Integer> epochs(Path file) throws IOException {
    Matcher m = EPOCH.matcher(Files.readString(file));
    java.util.ArrayList<Integer> out = new java.util.ArrayList<>();
    while (m.find()) {
      out.add(Integer.parseInt(m.group(1)));
    }
    return out;
  }

  static void awaitContent(Path file, String text) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (System.nanoTime() < deadline) {
      if (Files.exists(file) && Files.readString(file).contains(text)) {
        return;
      }
      Thread.sleep(20);
    }
    throw new AssertionError(file + " never contained '" + text + "'");
  }
}
