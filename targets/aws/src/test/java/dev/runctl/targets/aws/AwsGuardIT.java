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
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ec2.model.Instance;

/**
 * The guard on the instance, with no runctl looking: it never stops a running training and ends an
 * idle instance after saving its checkpoints and log (AwsGuardMaxDurationIT: the max_duration end).
 * Its shutdown goes through the test launcher, which terminates the emulated instance.
 */
class AwsGuardIT extends GuardScenarios {
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
}
