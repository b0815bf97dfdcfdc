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
 * The guard on the instance ends any instance once the budget's max_duration since launch has
 * passed, whatever runs on it, with no runctl looking.
 */
class AwsGuardMaxDurationIT extends GuardScenarios {
  @RegisterExtension static final MotoServer MOTO = new MotoServer();

  @Override
  protected MotoServer moto() {
    return MOTO;
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
}
