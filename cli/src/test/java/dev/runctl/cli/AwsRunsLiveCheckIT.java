package dev.runctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runctl.targets.aws.moto.MotoServer;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code runctl runs} and {@code status} against the moto launcher, through the real CLI in
 * separate processes: the instance of a run whose runctl was killed during train is flagged with
 * its id until {@code runctl destroy}; a run that made no instance is not; an endpoint that does
 * not answer gives a warning and the list, never a failure.
 */
class AwsRunsLiveCheckIT {
  @RegisterExtension static final MotoServer MOTO = new MotoServer();
  private static final String BUCKET = "runctl-live-check";
  @TempDir Path dir;
  MotoProject aws;
  Runctl runctl;

  @BeforeEach
  void setUp() throws Exception {
    aws = new MotoProject(MOTO, dir, BUCKET);
    runctl = aws.runctl;
  }

  @AfterEach
  void noInstanceOfTheRunsLeftRunning() {
    aws.close();
  }

  @Test
  void theInstanceOfARunKilledDuringTrainIsFlaggedUntilDestroy() throws Exception {
    MOTO.faults("{\"capacity\": \"all\"}");
    Runctl.Result none = runctl.run("apply", spec("none", 1).toString());
    String noneId = none.stdout().lines().findFirst().orElseThrow().substring(4);
    aws.run(noneId);
    assertThat(none.exitCode()).as(none.toString()).isEqualTo(1);
    MOTO.faults("{\"capacity\": null}");

    Runctl.Running apply = runctl.start("apply", spec("leaky", 5).toString());
    String id = apply.runId(Duration.ofMinutes(1));
    aws.run(id);
    awaitEpoch(apply, runctl.runDir(id).resolve("logs/train.log"));
    apply.process.destroyForcibly(); // kill -9 during train
    assertThat(apply.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    String instance = aws.instances(id).get(0).instanceId();

    long before = MOTO.stats().getOrDefault("ec2_requests", 0L);
    Runctl.Result runs = runctl.run("runs");
    long requests = MOTO.stats().getOrDefault("ec2_requests", 0L) - before;
    assertThat(runs.exitCode()).as(runs.toString()).isZero();
    assertThat(RunsLiveCheckIT.line(runs.stdout(), id)).contains("interrupted").endsWith("LEAK");
    assertThat(RunsLiveCheckIT.line(runs.stdout(), noneId)).contains("failed").endsWith("  -");
    assertThat(runs.stdout())
        .contains("  still alive: " + instance + " running (g5.xlarge on-demand, $1.006/h, up ")
        .contains("`runctl destroy " + id + "` tears it down")
        .contains("1 run still has machines, processes or workspaces alive: " + id);
    assertThat(requests).as("EC2 requests of one look at two runs in one region").isEqualTo(2);

    Runctl.Result json = runctl.run("runs", "--output", "json");
    assertThat(RunsLiveCheckIT.line(json.stdout(), id))
        .contains("\"liveCheck\":\"alive\"")
        .contains("\"alive\":[\"" + instance + " running");

    Runctl.Result status = runctl.run("status", id);
    assertThat(status.stdout()).contains("  still alive: " + instance + " running");

    try (ServerSocket closed = new ServerSocket(0)) {
      runctl.env("AWS_ENDPOINT_URL", "http://127.0.0.1:" + closed.getLocalPort());
    }
    Runctl.Result unreachable = runctl.run("runs");
    runctl.env("AWS_ENDPOINT_URL", MOTO.endpoint());
    assertThat(unreachable.exitCode()).as(unreachable.toString()).isZero();
    assertThat(RunsLiveCheckIT.line(unreachable.stdout(), id)).endsWith("  ?");
    assertThat(RunsLiveCheckIT.line(unreachable.stdout(), noneId)).endsWith("  ?");
    assertThat(unreachable.stderr())
        .contains("warning: cannot tell whether 2 aws runs still have resources alive: ")
        .contains("AWS did not answer")
        .contains("`runctl runs --no-check` skips this check")
        .doesNotContain("\tat ");
    assertThat(unreachable.stderr().lines().filter(l -> l.startsWith("warning:"))).hasSize(1);

    Runctl.Result destroyed = runctl.run("destroy", id);
    assertThat(destroyed.exitCode()).as(destroyed.toString()).isZero();
    Runctl.Result after = runctl.run("runs");
    assertThat(RunsLiveCheckIT.line(after.stdout(), id)).endsWith("  -");
    assertThat(after.stdout()).doesNotContain("LEAK").doesNotContain(instance);
  }

  /** The aws example with test values and the CPU trainer, one epoch every {@code seconds}. */
  private Path spec(String name, int seconds) throws Exception {
    String text = Files.readString(Path.of("../specs/examples/aws-spot-gpu.yaml"));
    text =
        text.replace("name: tiny-mlp-spot-gpu", "name: " + name)
            .replace("bucket: my-runctl-bucket", "bucket: " + BUCKET)
            .replaceAll("market: spot ", "market: on_demand ")
            .replaceAll(
                "ssm_parameter: .*",
                "ssm_parameter: /aws/service/ami-amazon-linux-latest/al2023-ami-kernel-6.1-x86_64")
            .replace("workdir: ../..", "workdir: .")
            .replaceAll("\n *pip_args: .*", "")
            .replaceAll(
                "args: \\[.*\\]",
                "args: [\"--epochs\", \"200\", \"--epoch-seconds\", \"" + seconds + "\"]")
            .replace(
                "  - id: provision\n    uses: provision\n",
                "  - id: provision\n    uses: provision\n    retry: {max_attempts: 1}\n");
    Path p = dir.resolve("project/" + name + ".yaml");
    Files.writeString(p, text);
    return p;
  }

  private static void awaitEpoch(Runctl.Running runctl, Path log) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
    while (!(Files.exists(log) && Files.readString(log).contains("epoch 1/"))) {
      if (!runctl.process.isAlive() || System.nanoTime() > deadline) {
        throw new AssertionError("no epoch in " + log + "\n" + runctl.stdout() + runctl.stderr());
      }
      Thread.sleep(100);
    }
  }
}
