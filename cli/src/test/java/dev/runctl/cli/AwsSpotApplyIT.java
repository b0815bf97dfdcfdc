package dev.runctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runctl.targets.aws.moto.MotoServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The aws example on the spot market: a reclaim, no capacity, the on-demand fallback. */
class AwsSpotApplyIT extends AwsExample {
  @RegisterExtension static final MotoServer MOTO = new MotoServer();

  @Override
  MotoServer moto() {
    return MOTO;
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
}
