package dev.runctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runctl.targets.aws.moto.MotoServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real runctl CLI, as a separate process, applying the aws example spec against the patched
 * moto_server: every command really runs in the emulated instance's sandbox. The bucket, the image
 * (moto's) and the market are test values, and the example's PyTorch trainer is swapped for the
 * bundled standard-library one: the emulated instance has no GPU and no package index.
 */
class AwsApplyIT {
  @RegisterExtension static final MotoServer MOTO = new MotoServer();
  private static final String BUCKET = "runctl-e2e";
  @TempDir Path dir;
  MotoProject aws;
  Runctl cli;

  @BeforeEach
  void setUp() throws Exception {
    aws = new MotoProject(MOTO, dir, BUCKET);
    cli = aws.runctl;
  }

  @AfterEach
  void noInstanceOfTheRunsLeftRunning() {
    aws.close();
  }

  @Test
  void theAwsExampleAppliesEndToEnd() throws Exception {
    Path spec = spec("spot", 6, 0.0);
    Runctl.Result r = cli.start("apply", spec.toString()).await(Duration.ofMinutes(6));
    String runId = r.runId();
    aws.run(runId);
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(aws.instances(runId)).hasSize(1);
    assertThat(MOTO.stats().get("run_instances")).isEqualTo(1L);
    Path run = cli.runDir(runId);
    assertThat(run.resolve("artifacts/checkpoints/metrics.json")).exists();
    assertThat(MetricsIT.epochs(run.resolve("metrics/train.jsonl")))
        .as("the metrics reported on the instance, followed over S3/SSM, each epoch once")
        .containsExactly(1, 2, 3, 4, 5, 6);
    String train = Files.readString(run.resolve("logs/train.log"));
    assertThat(train).contains("epoch 6/6").contains("done: 6 epochs");
    assertThat(Files.readString(run.resolve("logs/provision.log")))
        .contains("SSM agent on " + aws.instances(runId).get(0).instanceId() + " is online");
    assertThat(cli.start("runs").await(Duration.ofMinutes(1)).stdout()).contains(runId);
  }

  @Test
  void killedDuringProvisionSyncAndTrainResumesWithOneInstance() throws Exception {
    MOTO.faults("{\"online_delay\": 6}");
    // long enough that the training still runs when the last resume reattaches, on a loaded machine
    Path spec = spec("on_demand", 30, 1.0);
    Runctl.Running apply = cli.start("apply", spec.toString());
    String runId = apply.runId(Duration.ofMinutes(1));
    aws.run(runId);
    Path logs = cli.runDir(runId).resolve("logs");

    awaitFile(apply, logs.resolve("provision.log"), s -> s.contains("waiting for the SSM agent"));
    apply.kill();
    assertThat(aws.instances(runId)).hasSize(1);
    MOTO.faults("{\"online_delay\": 0}");

    Runctl.Running resume = cli.start("resume", runId);
    awaitFile(resume, logs.resolve("sync.log"), s -> !s.isEmpty());
    resume.kill();

    resume = cli.start("resume", runId);
    awaitFile(resume, logs.resolve("train.log"), s -> s.contains("epoch 2/30"));
    resume.kill();
    Thread.sleep(1500); // the training goes on without runctl

    Runctl.Result end = cli.start("resume", runId).await(Duration.ofMinutes(6));
    assertThat(end.exitCode()).as(end.toString()).isZero();
    String train = Files.readString(logs.resolve("train.log"));
    assertThat(train).contains("reattached").contains("done: 30 epochs");
    assertThat(train)
        .as("one training process, never a second")
        .doesNotContain("starting a new one");
    assertThat(aws.instances(runId)).as("instances ever made for the run").hasSize(1);
    assertThat(MOTO.stats().get("run_instances")).isEqualTo(1L);
  }

  @Test
  void killedDuringFailoverThenResumedMakesOneInstanceEver() throws Exception {
    // only the last candidate has capacity, and moto holds its answer after making the instance:
    // runctl is killed while the instance exists but before runctl heard of it
    MOTO.faults(
        "{\"capacity_only\": [\"g6.xlarge@us-east-1b\"], \"capacity_delay\": 0.5,"
            + " \"launch_delay\": 30}");
    Path spec = failover(spec("on_demand", 3, 0.0));
    Runctl.Running apply = cli.start("apply", spec.toString());
    String runId = apply.runId(Duration.ofMinutes(1));
    aws.run(runId);
    awaitFile(
        apply,
        cli.runDir(runId).resolve("logs/provision.log"),
        s -> s.contains("launching on-demand g6.xlarge in us-east-1b"));
    Instant deadline = Instant.now().plusSeconds(60);
    while (aws.instances(runId).isEmpty()) {
      assertThat(Instant.now()).as("the instance made by moto").isBefore(deadline);
      Thread.sleep(100);
    }
    apply.kill();
    MOTO.faults("{\"launch_delay\": 0}");

    Runctl.Result end = cli.start("resume", runId).await(Duration.ofMinutes(6));
    assertThat(end.exitCode()).as(end.toString()).isZero();
    assertThat(aws.instances(runId)).as("instances ever made for the run").hasSize(1);
    assertThat(aws.instances(runId).get(0).instanceTypeAsString()).isEqualTo("g6.xlarge");
    assertThat(MOTO.stats().get("run_instances")).isEqualTo(1L);
    String journal = Files.readString(cli.runDir(runId).resolve("journal.jsonl"));
    assertThat(journal)
        .contains("on-demand g5.xlarge in us-east-1a: InsufficientInstanceCapacity")
        .contains("on-demand g6.xlarge in us-east-1a: InsufficientInstanceCapacity")
        .contains("launched earlier for this run");
  }

  @Test
  void failoverSaysOnTheConsoleWhichCandidateItGot() throws Exception {
    MOTO.faults("{\"capacity_only\": [\"g6.xlarge@us-east-1b\"]}");
    Path spec = failover(spec("on_demand", 2, 0.0));
    Runctl.Result plan = cli.start("plan", spec.toString()).await(Duration.ofMinutes(1));
    assertThat(plan.stdout())
        .contains("g5.xlarge in us-east-1a: $1.006/h")
        .contains("g6.xlarge in us-east-1b: $0.8048/h");
    Runctl.Result r = cli.start("apply", spec.toString()).await(Duration.ofMinutes(6));
    aws.run(r.runId());
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.stdout() + r.stderr())
        .contains("Launched on-demand g6.xlarge in us-east-1b (us-east-1) at $0.8048/h")
        .contains("candidate 4 of 4");
    assertThat(aws.instances(r.runId())).hasSize(1);
  }

  @Test
  void anUnwatchedInstanceTerminatesItselfAndAResumeFinishesFromTheBucket() throws Exception {
    Path spec = spec("on_demand", 8, 1.0);
    Files.writeString(
        spec,
        Files.readString(spec).replace("  disk_gb: 100\n", "  disk_gb: 100\n  idle_timeout: 1m\n"));
    Runctl.Running apply = cli.start("apply", spec.toString());
    String runId = apply.runId(Duration.ofMinutes(1));
    aws.run(runId);
    Path logs = cli.runDir(runId).resolve("logs");
    awaitFile(apply, logs.resolve("train.log"), s -> s.contains("epoch 2/8"));
    apply.kill();
    String first = aws.instances(runId).get(0).instanceId();
    Instant killed = Instant.now();
    while (!aws.instances(runId).get(0).state().nameAsString().equals("terminated")) {
      assertThat(Instant.now()).as("terminated by its guard").isBefore(killed.plusSeconds(240));
      Thread.sleep(1000);
    }
    // 6 epochs of 1 s, then 1m idle: about 70 s after the kill
    System.out.println(
        "guard: terminated "
            + Duration.between(killed, Instant.now()).toSeconds()
            + " s after kill");
    assertThat(Duration.between(killed, Instant.now())).isLessThan(Duration.ofSeconds(6 + 120));
    assertThat(
            aws
                .s3
                .listObjectsV2(r -> r.bucket(BUCKET).prefix("runctl/runs/" + runId + "/watch/"))
                .contents()
                .stream()
                .map(o -> o.key()))
        .anyMatch(k -> k.endsWith("metrics.json"));
    Runctl.Result status = cli.start("status", runId).await(Duration.ofMinutes(1));
    assertThat(status.stdout())
        .contains("note: the instance " + first + " terminated itself at ")
        .contains("train ended at ")
        .contains("nobody collected it within 60s");

    Runctl.Result end = cli.start("resume", runId).await(Duration.ofMinutes(6));
    assertThat(end.exitCode()).as(end.toString()).isZero();
    assertThat(cli.runDir(runId).resolve("artifacts/checkpoints/metrics.json")).exists();
    assertThat(Files.readString(logs.resolve("train.log"))).contains("done: 8 epochs");
  }

  /** Two types in two zones, tried in the order written. */
  private static Path failover(Path spec) throws IOException {
    String text = Files.readString(spec);
    text =
        text.replace(
            "instance_type: g5.xlarge",
            "instance_type: [g5.xlarge, g6.xlarge]\n"
                + "  availability_zones: [us-east-1a, us-east-1b]");
    Files.writeString(spec, text);
    return spec;
  }

  @Test
  void destroyTerminatesTheInstanceOfACrashedRun() throws Exception {
    Path spec = spec("on_demand", 30, 1.0);
    Runctl.Running apply = cli.start("apply", spec.toString());
    String runId = apply.runId(Duration.ofMinutes(1));
    aws.run(runId);
    awaitFile(apply, cli.runDir(runId).resolve("logs/train.log"), s -> s.contains("epoch 1/30"));
    apply.kill();
    assertThat(aws.instances(runId))
        .singleElement()
        .matches(i -> i.state().nameAsString().equals("running"));

    Runctl.Result destroyed = cli.start("destroy", runId).await(Duration.ofMinutes(3));
    assertThat(destroyed.exitCode()).as(destroyed.toString()).isZero();
    assertThat(destroyed.stdout()).contains("nothing is left");
    assertThat(aws.instances(runId))
        .singleElement()
        .matches(i -> i.state().nameAsString().equals("terminated"));
    Runctl.Result again = cli.start("destroy", runId).await(Duration.ofMinutes(3));
    assertThat(again.exitCode()).as(again.toString()).isZero();
  }

  @Test
  void aSpotReclaimDuringTrainReprovisionsAndContinuesFromTheCheckpoint() throws Exception {
    Path spec = spec("spot", 12, 1.0);
    Runctl.Running apply = cli.start("apply", spec.toString());
    String runId = apply.runId(Duration.ofMinutes(1));
    aws.run(runId);
    Path logs = cli.runDir(runId).resolve("logs");
    awaitFile(apply, logs.resolve("train.log"), s -> s.contains("epoch 3/12"));
    awaitCheckpoint(runId);
    String first = aws.instances(runId).get(0).instanceId();
    MOTO.interrupt(first);

    Runctl.Result r = apply.await(Duration.ofMinutes(8));
    assertThat(r.exitCode()).as(r.toString()).isZero();
    String train = Files.readString(logs.resolve("train.log"));
    assertThat(train).contains("resuming from checkpoint epoch").contains("done: 12 epochs");
    int resumedAt =
        Integer.parseInt(train.replaceAll("(?s).*resuming from checkpoint epoch (\\d+).*", "$1"));
    assertThat(resumedAt).isGreaterThanOrEqualTo(3);
    assertThat(
            dev.runctl.engine.metrics.Metrics.readFile(
                    cli.runDir(runId).resolve("metrics/train.jsonl"))
                .stream()
                .filter(p -> p.values().containsKey("epoch"))
                .map(p -> p.values().get("epoch").intValue())
                .toList())
        .as("every epoch of both machines, each drawn once")
        .containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
    assertThat(aws.instances(runId)).hasSize(2);
    assertThat(MOTO.stats().get("run_instances")).isEqualTo(2L);
  }

  @Test
  void aSpotRunWithoutCapacityFailsWithoutAnOnDemandLaunch() throws Exception {
    MOTO.faults("{\"capacity\": \"spot\"}");
    Path spec = quickProvisionRetries(spec("spot", 3, 0.0));
    Runctl.Result r = cli.start("apply", spec.toString()).await(Duration.ofMinutes(4));
    aws.run(r.runId());
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
    assertThat(r.stdout() + r.stderr())
        .contains("Spot capacity for g5.xlarge in us-east-1 is not available")
        .contains("spot_or_on_demand");
    assertThat(MOTO.stats().get("run_instances")).isZero();
    assertThat(aws.instances(r.runId())).isEmpty();
  }

  @Test
  void spotOrOnDemandFallsBackAndSaysSoUnderThrottling() throws Exception {
    MOTO.faults(
        "{\"capacity\": \"spot\", \"throttle_every\": 3,"
            + " \"throttle_services\": [\"ec2\", \"ssm\", \"s3\"]}");
    Path spec = spec("spot_or_on_demand", 3, 0.0);
    Runctl.Result r = cli.start("apply", spec.toString()).await(Duration.ofMinutes(8));
    aws.run(r.runId());
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.stdout() + r.stderr())
        .contains("launching ON-DEMAND at $1.006/h instead of spot at $0.302/h");
    assertThat(Files.readString(cli.runDir(r.runId()).resolve("journal.jsonl")))
        .contains("launching ON-DEMAND at $1.006/h");
    assertThat(aws.instances(r.runId())).hasSize(1).allMatch(i -> i.instanceLifecycle() == null);
    assertThat(MOTO.stats().get("throttled")).isGreaterThan(10);
  }

  private static Path quickProvisionRetries(Path spec) throws IOException {
    String text = Files.readString(spec);
    text =
        text.replace(
            "  - id: provision\n    uses: provision\n",
            "  - id: provision\n    uses: provision\n"
                + "    retry: {max_attempts: 2, initial_interval: 1s}\n");
    Files.writeString(spec, text);
    return spec;
  }

  /** The aws example with test values for the bucket, image and market, and the CPU trainer. */
  private Path spec(String market, int epochs, double epochSeconds) throws IOException {
    String text = Files.readString(Path.of("../specs/examples/aws-spot-gpu.yaml"));
    text =
        text.replace("bucket: my-runctl-bucket", "bucket: " + BUCKET)
            .replaceAll("market: spot ", "market: " + market + " ")
            .replaceAll(
                "ssm_parameter: .*",
                "ssm_parameter: /aws/service/ami-amazon-linux-latest/al2023-ami-kernel-6.1-x86_64")
            .replace("workdir: ../..", "workdir: .")
            .replace("training/requirements-torch.txt", "training/requirements.txt")
            .replaceAll("\n *pip_args: .*", "")
            .replace("training/torch_mnist.py", "training/tiny_mlp.py")
            .replaceAll(
                "args: \\[.*\\]",
                "args: [\"--epochs\", \""
                    + epochs
                    + "\", \"--epoch-seconds\", \""
                    + epochSeconds
                    + "\", \"--name\", \"e2e run\"]")
            .replaceAll("accuracy: \">= [0-9.]+\"", "accuracy: \">= 0.80\"");
    Path p = dir.resolve("project/aws.yaml");
    Files.writeString(p, text);
    return p;
  }

  private void awaitCheckpoint(String runId) throws InterruptedException {
    Instant deadline = Instant.now().plusSeconds(120);
    String prefix = "runctl/runs/" + runId + "/watch/";
    // Only the checkpoint's own name counts: the run id in the key holds the time of day, and
    // just after midnight its digits matched a looser pattern for any checkpoint at all.
    java.util.regex.Pattern epoch3OrLater =
        java.util.regex.Pattern.compile(".*/ckpt-epoch-(000[3-9]|00[1-9][0-9])\\.json");
    while (aws.s3.listObjectsV2(r -> r.bucket(BUCKET).prefix(prefix)).contents().stream()
        .noneMatch(o -> epoch3OrLater.matcher(o.key()).matches())) {
      assertThat(Instant.now()).as("a checkpoint of epoch 3 in the bucket").isBefore(deadline);
      Thread.sleep(250);
    }
  }

  /** Waits until {@code file} satisfies {@code ready} while {@code runctl} is still running. */
  private static void awaitFile(Runctl.Running runctl, Path file, Predicate<String> ready)
      throws Exception {
    Instant deadline = Instant.now().plusSeconds(180);
    while (true) {
      String s = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : null;
      if (s != null && ready.test(s)) {
        return;
      }
      if (!runctl.process.isAlive() || Instant.now().isAfter(deadline)) {
        throw new AssertionError(
            "waiting on "
                + file
                + " ("
                + s
                + "); runctl:\n"
                + runctl.stdout()
                + "--- stderr\n"
                + runctl.stderr());
      }
      Thread.sleep(100);
    }
  }
}
