package dev.runctl.targets.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runctl.engine.spi.CommandSpec;
import dev.runctl.engine.spi.DetachedSpec;
import dev.runctl.engine.spi.Machine;
import dev.runctl.engine.spi.MemoryFacts;
import dev.runctl.engine.spi.Target;
import dev.runctl.engine.testing.RecordingLog;
import dev.runctl.targets.aws.moto.MotoServer;
import dev.runctl.targets.aws.support.AwsHarness;
import dev.runctl.targets.aws.support.AwsTargetIT;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ec2.model.Instance;

/**
 * The guard on the instance, with no runctl looking: it never stops a running training, ends an
 * idle instance after saving its checkpoints and log, and ends any instance after max_duration. Its
 * shutdown goes through the test launcher, which terminates the emulated instance.
 */
class AwsGuardIT extends AwsTargetIT {
  @RegisterExtension static final MotoServer MOTO = new MotoServer();

  @Override
  protected MotoServer moto() {
    return MOTO;
  }

  /** Epochs of 3 s, a checkpoint each, then "done". */
  private static final String TRAINER =
      "import os,time\n"
          + "os.makedirs('ck',exist_ok=True)\n"
          + "for e in range(1,26):\n"
          + "  time.sleep(3)\n"
          + "  open('ck/%d' % e,'w').write('x')\n"
          + "  print('epoch %d' % e, flush=True)\n"
          + "print('done', flush=True)\n";

  @Test
  void anIdleInstanceSavesItsCheckpointsAndLogAndTerminatesItselfButNeverDuringTraining()
      throws Exception {
    Target t = aws.open("run-idle", new MemoryFacts(), AwsHarness.settings("idle_timeout", "1m"));
    RecordingLog log = aws.log("run-idle", "train");
    Machine m = t.provision(log);
    try {
      assertThat(log.lines()).contains("the guard on " + m.id());
      m.start(
          new DetachedSpec(
              "train",
              CommandSpec.of(List.of("python3", "-u", "-c", TRAINER), Map.of()),
              Optional.of("ck")));
      Instant started = Instant.now();
      // runctl is gone from here on: nothing asks the instance anything
      Instance ended = awaitTerminated(m.id(), Duration.ofMinutes(5));
      Duration took = Duration.between(started, Instant.now());
      System.out.println("guard: terminated " + took.toSeconds() + " s after the training began");
      assertThat(ended.stateReason().code()).isEqualTo("Client.InstanceInitiatedShutdown");
      assertThat(MOTO.stats().get("self_terminate")).isEqualTo(1L);
      assertThat(bucket("runctl/runs/run-idle/watch/train/"))
          .contains("runctl/runs/run-idle/watch/train/25");
      String trainLog = text("runctl/runs/run-idle/guard/logs/train.log");
      assertThat(trainLog)
          .as("the training ran to its end")
          .contains("epoch 25")
          .endsWith("done\n");
      assertThat(took)
          .as("75 s of training, 1m idle, a few s of looks")
          .isLessThan(Duration.ofSeconds(75 + 120));
      List<String> actions = bucket("runctl/runs/run-idle/guard/");
      String terminate =
          text(
              actions.stream()
                  .filter(k -> k.endsWith("-terminate.json"))
                  .findFirst()
                  .orElseThrow());
      assertThat(terminate)
          .contains("\"instance\":\"" + m.id() + "\"")
          .contains("train ended at ")
          .contains("nobody collected it within 60s");
    } finally {
      t.destroy(log);
    }
  }

  @Test
  void maxDurationSinceLaunchEndsTheInstanceWhateverRuns() throws Exception {
    Target t =
        aws.open(
            "run-max",
            new MemoryFacts(),
            AwsHarness.settings(),
            Optional.of(Duration.ofSeconds(20)));
    RecordingLog log = aws.log("run-max", "train");
    Machine m = t.provision(log);
    try {
      m.start(
          new DetachedSpec(
              "train", CommandSpec.of(List.of("sleep", "600"), Map.of()), Optional.empty()));
      Instance ended = awaitTerminated(m.id(), Duration.ofMinutes(3));
      assertThat(ended.stateReason().code()).isEqualTo("Client.InstanceInitiatedShutdown");
      Instant launched = ended.launchTime();
      assertThat(Instant.now()).isAfter(launched.plusSeconds(30));
      String terminate =
          text(
              bucket("runctl/runs/run-max/guard/").stream()
                  .filter(k -> k.endsWith("-terminate.json"))
                  .findFirst()
                  .orElseThrow());
      assertThat(terminate).contains("budget max_duration 20s since launch");
    } finally {
      t.destroy(log);
    }
  }

  private Instance awaitTerminated(String id, Duration within) throws InterruptedException {
    Instant deadline = Instant.now().plus(within);
    while (true) {
      Instance i =
          aws.ec2
              .describeInstances(r -> r.instanceIds(id))
              .reservations()
              .get(0)
              .instances()
              .get(0);
      if (i.state().nameAsString().equals("terminated")) {
        return i;
      }
      assertThat(Instant.now()).as(id + " terminated by its guard").isBefore(deadline);
      Thread.sleep(1000);
    }
  }

  private List<String> bucket(String prefix) {
    return aws.s3.listObjectsV2(r -> r.bucket(AwsHarness.BUCKET).prefix(prefix)).contents().stream()
        .map(o -> o.key())
        .toList();
  }

  private String text(String key) {
    return aws.s3.getObjectAsBytes(g -> g.bucket(AwsHarness.BUCKET).key(key)).asUtf8String();
  }
}
