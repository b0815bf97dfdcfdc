package dev.runctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runctl.targets.aws.moto.MotoServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The upload half of sync ({@code sync.upload}) runs while provision waits for a booting instance,
 * so that the training starts soon after the boot: measured against the patched moto_server with a
 * 30 s boot (instances {@code pending} that long) with the runctl users start (the launcher, its
 * JVM options and class-data-sharing archive), and kept honest across a kill -9 between the upload
 * and the instance's pull.
 */
class AwsOverlapIT {
  @RegisterExtension static final MotoServer MOTO = new MotoServer();
  private static final String BUCKET = "runctl-overlap";
  private static final int BOOT_SECONDS = 30;
  private static final int FILES = 500;
  @TempDir Path dir;
  MotoProject aws;
  Runctl cli;

  @BeforeEach
  void setUp() throws Exception {
    aws = new MotoProject(MOTO, dir, BUCKET);
    cli = aws.runctl;
  }

  @AfterEach
  void noInstanceOfTheRunsLeftRunning() throws IOException {
    aws.close();
    cli.dropLauncher();
  }

  @Test
  void theTrainingStartsWithinFifteenPercentOfTheBoot() throws Exception {
    Path spec = spec();
    // what the user waits for: the runctl launcher, whose first apply made its archive
    Runctl.Result help =
        cli.throughLauncher().start("apply", "--help").await(Duration.ofMinutes(3));
    assertThat(help.exitCode()).as(help.toString()).isZero();
    String plan = cli.start("plan", spec.toString()).await(Duration.ofMinutes(1)).stdout();
    assertThat(plan).as(plan).contains("sync.upload");
    MOTO.faults("{\"boot_delay\": " + BOOT_SECONDS + "}");
    long t0 = System.nanoTime();
    Runctl.Running apply = cli.start("apply", spec.toString());
    String runId = aws.run(apply.runId(Duration.ofMinutes(1)));
    Path train = cli.runDir(runId).resolve("logs/train.log");
    while (!contains(train, "starting fresh")) {
      assertThat(apply.process.isAlive()).as(apply.stdout() + apply.stderr()).isTrue();
      assertThat(System.nanoTime() - t0)
          .as("first line of the training")
          .isLessThan(300_000_000_000L);
      Thread.sleep(50);
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    java.time.Instant seen = java.time.Instant.now();
    Runctl.Result r = apply.await(Duration.ofMinutes(3));
    assertThat(r.exitCode()).as(r.toString()).isZero();
    Path run = cli.runDir(runId);
    Timeline t = Timeline.of(run);
    String provision = Files.readString(run.resolve("logs/provision.log"));
    double running = t.seconds(provision, " is running after ");
    double afterBoot = t.started("sync") - running;
    System.out.printf(
        "apply to the training's first line: %.2f s with a %d s boot: %.3fx the boot (target <="
            + " 1.15x)%n  upload of %d files: %.2f s to %.2f s, beside the boot; the instance ran"
            + " at %.2f s, provision ended at %.2f s, the pull (sync) at %.2f s to %.2f s, the"
            + " training started at %.2f s (seconds since the run began)%n",
        seconds,
        BOOT_SECONDS,
        seconds / BOOT_SECONDS,
        FILES,
        t.started("sync.upload"),
        t.ended("sync.upload"),
        running,
        t.ended("provision"),
        t.started("sync"),
        t.ended("sync"),
        t.started("train"));
    System.out.println("  from the step logs (seconds since the run began):");
    t.print(Files.readString(run.resolve("logs/sync.upload.log")), 8);
    t.print(provision, 40);
    t.print(Files.readString(run.resolve("logs/sync.log")), 20);
    t.print(Files.readString(train), 4);
    System.out.printf(
        "  %7.2f s the first line reached the step log; the run began %.2f s after apply%n",
        t.since(seen), seconds - t.since(seen));
    assertThat(t.ended("sync.upload"))
        .as("the upload was done while the instance booted")
        .isLessThan(running);
    assertThat(Files.readString(run.resolve("logs/sync.log")))
        .as("the sync step found the blobs there")
        .contains("sent 0 files");
    assertThat(afterBoot / BOOT_SECONDS)
        .as(
            "the pull follows the instance's readiness: seconds from running to the pull's start,"
                + " over the boot")
        .isLessThanOrEqualTo(0.15);
    assertThat(Files.readString(run.resolve("logs/sync.log")))
        .as("the first pull fetched the pack sync.upload wrote: one GET, not one per file")
        .contains("pack of " + (FILES + 4) + " ");
    assertThat((t.since(seen) - running) / BOOT_SECONDS)
        .as(
            "seconds from running to the training's first line, over the boot (1.15x is the aim"
                + " on a quiet machine; this bound leaves room for a loaded one)")
        .isLessThanOrEqualTo(0.5);
  }

  @Test
  void killedBetweenUploadAndPullResumesWithoutUploadingAgainAndPulls() throws Exception {
    MOTO.faults("{\"boot_delay\": 12}");
    Path spec = spec();
    Runctl.Running apply = cli.start("apply", spec.toString());
    String runId = aws.run(apply.runId(Duration.ofMinutes(1)));
    Path journal = cli.runDir(runId).resolve("journal.jsonl");
    while (!ended(journal, "sync.upload")) {
      assertThat(apply.process.isAlive()).as(apply.stdout() + apply.stderr()).isTrue();
      Thread.sleep(50);
    }
    assertThat(ended(journal, "provision")).as("provision still waits for the boot").isFalse();
    apply.kill();

    Runctl.Result end = cli.start("resume", runId).await(Duration.ofMinutes(4));
    assertThat(end.exitCode()).as(end.toString()).isZero();
    List<String> lines = Files.readAllLines(journal);
    assertThat(lines.stream().filter(l -> l.contains("\"attempt_started\"")))
        .as("the upload ran once, the sync once")
        .filteredOn(l -> l.contains("\"step\":\"sync.upload\""))
        .hasSize(1);
    String sync = Files.readString(cli.runDir(runId).resolve("logs/sync.log"));
    assertThat(sync).contains("sent 0 files").containsPattern(" [1-9][0-9]* written");
    assertThat(Files.readString(cli.runDir(runId).resolve("logs/train.log")))
        .as("the pull laid out the workdir: the training ran from it")
        .contains("done: 2 epochs");
    assertThat(lines)
        .as("the resumed sync sent nothing: the upload before the kill had sent it all")
        .anyMatch(
            l ->
                l.contains("\"step\":\"sync\"")
                    && l.contains("\"key\":\"files_sent\"")
                    && l.contains("\"value\":\"0\""));
    assertThat(aws.instances(runId)).hasSize(1);
  }

  /** When each step's first attempt started and ended, in seconds since the run began. */
  private record Timeline(java.time.Instant begin, java.util.Map<String, Double> marks) {
    static Timeline of(Path run) throws IOException {
      java.util.Map<String, Double> marks = new java.util.HashMap<>();
      java.time.Instant begin = null;
      java.util.regex.Pattern p =
          java.util.regex.Pattern.compile(
              "\\{\"type\":\"(run_started|attempt_started|attempt_ended)\",\"at\":\"([^\"]+)\""
                  + "(?:,\"step\":\"([^\"]+)\")?");
      for (String line : Files.readAllLines(run.resolve("journal.jsonl"))) {
        java.util.regex.Matcher m = p.matcher(line);
        if (!m.find()) {
          continue;
        }
        java.time.Instant at = java.time.Instant.parse(m.group(2));
        if (begin == null) {
          begin = at;
        }
        if (m.group(3) != null) {
          double s = java.time.Duration.between(begin, at).toMillis() / 1000.0;
          marks.putIfAbsent(m.group(1).replace("attempt_", "") + " " + m.group(3), s);
        }
      }
      return new Timeline(begin, marks);
    }

    double started(String step) {
      return marks.get("started " + step);
    }

    double ended(String step) {
      return marks.get("ended " + step);
    }

    double since(java.time.Instant at) {
      return java.time.Duration.between(begin, at).toMillis() / 1000.0;
    }

    /** Prints the first {@code max} lines of a step log, each at its time since the run began. */
    void print(String log, int max) {
      for (String line : log.lines().limit(max).toList()) {
        int end = line.indexOf(']');
        if (line.startsWith("[") && end > 0) {
          java.time.Instant at = java.time.Instant.parse(line.substring(1, end));
          System.out.printf("  %7.2f s %s%n", since(at), line.substring(end + 1).strip());
        } else {
          System.out.println("            " + line);
        }
      }
    }

    /** The time of the step-log line holding {@code text}, in seconds since the run began. */
    double seconds(String log, String text) {
      String line = log.lines().filter(l -> l.contains(text)).findFirst().orElseThrow();
      return since(java.time.Instant.parse(line.substring(1, line.indexOf(']'))));
    }
  }

  private static boolean ended(Path journal, String step) throws IOException {
    if (!Files.exists(journal)) {
      return false;
    }
    return Files.readAllLines(journal, StandardCharsets.UTF_8).stream()
        .anyMatch(
            l ->
                l.contains("\"step_ended\"")
                    && l.contains("\"step\":\"" + step + "\"")
                    && l.contains("\"status\":\"succeeded\""));
  }

  private static boolean contains(Path file, String text) throws IOException {
    return Files.exists(file) && Files.readString(file, StandardCharsets.UTF_8).contains(text);
  }

  /** provision, sync (the project and FILES files of data), train, teardown. */
  private Path spec() throws IOException {
    Random random = new Random(7);
    byte[] data = new byte[10 * 1024];
    for (int i = 0; i < FILES; i++) {
      Path f = aws.project.resolve(String.format("data/d%02d/f%05d.bin", i / 100, i));
      Files.createDirectories(f.getParent());
      random.nextBytes(data);
      Files.write(f, data);
    }
    String text =
        """
        version: 1
        name: overlap
        workdir: .
        target:
          provider: aws
          region: us-east-1
          instance_type: t3.medium
          image: {ssm_parameter: /aws/service/ami-amazon-linux-latest/al2023-ami-kernel-6.1-x86_64}
          iam_instance_profile: runctl-ssm
          bucket: %s
        steps:
          - id: provision
            uses: provision
          - id: sync
            uses: sync
          - id: train
            uses: train
            with:
              script: training/tiny_mlp.py
              args: ["--epochs", "2", "--epoch-seconds", "0"]
              checkpoints: checkpoints
          - id: teardown
            uses: teardown
            when: always
        """
            .formatted(BUCKET);
    Path p = aws.project.resolve("overlap.yaml");
    Files.writeString(p, text);
    return p;
  }
}
