package dev.runctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runctl.targets.aws.moto.MotoServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The aws example with runctl gone: the instance's guard ends it, a resume finishes the run. */
class AwsUnwatchedApplyIT extends AwsExample {
  @RegisterExtension static final MotoServer MOTO = new MotoServer();

  @Override
  MotoServer moto() {
    return MOTO;
  }

  @Test
  void anUnwatchedInstanceTerminatesItselfAndAResumeFinishesFromTheBucket() throws Exception {
    Path spec =
        edit(spec("on_demand", 8, 1.0), "  disk_gb: 100\n", "  disk_gb: 100\n  idle_timeout: 1m\n");
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
}
