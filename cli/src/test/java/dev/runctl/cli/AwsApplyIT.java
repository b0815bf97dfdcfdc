package dev.runctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runctl.targets.aws.moto.MotoServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The aws example end to end: kills and resumes, failover, destroy. */
class AwsApplyIT extends AwsExample {
  @RegisterExtension static final MotoServer MOTO = new MotoServer();

  @Override
  MotoServer moto() {
    return MOTO;
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
}
