package dev.runctl.targets.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runctl.engine.spi.Machine;
import dev.runctl.engine.spi.MemoryFacts;
import dev.runctl.engine.spi.StepException;
import dev.runctl.engine.spi.Target;
import dev.runctl.engine.testing.RecordingLog;
import dev.runctl.targets.aws.moto.MotoServer;
import dev.runctl.targets.aws.support.AwsHarness;
import dev.runctl.targets.aws.support.AwsTargetIT;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ec2.model.Instance;

/** Failover over instance types x zones, with capacity per type and zone in the patched moto. */
class AwsFailoverIT extends AwsTargetIT {
  @RegisterExtension static final MotoServer MOTO = new MotoServer();

  @Override
  protected MotoServer moto() {
    return MOTO;
  }

  private static final Object TYPES = List.of("g5.xlarge", "g6.xlarge");
  private static final Object ZONES = List.of("us-east-1a", "us-east-1b");

  @Test
  void capacityOnlyInTheLastTypeAndZoneLaunchesThereOnceAndJournalsEveryAttempt() throws Exception {
    MOTO.faults("{\"capacity_only\": [\"g6.xlarge@us-east-1b\"]}");
    MemoryFacts facts = new MemoryFacts();
    Target t =
        aws.open(
            "run-fo",
            facts,
            AwsHarness.settings("instance_type", TYPES, "availability_zones", ZONES));
    RecordingLog log = aws.log("run-fo", "provision");
    Machine m = t.provision(log);
    try {
      Instance i = aws.instancesOf("run-fo").get(0);
      assertThat(aws.instancesOf("run-fo")).hasSize(1);
      assertThat(i.instanceTypeAsString()).isEqualTo("g6.xlarge");
      assertThat(i.placement().availabilityZone()).isEqualTo("us-east-1b");
      assertThat(MOTO.stats().get("run_instances")).isEqualTo(1L);
      assertThat(attempts(facts))
          .containsExactly(
              "on-demand g5.xlarge in us-east-1a: InsufficientInstanceCapacity",
              "on-demand g5.xlarge in us-east-1b: InsufficientInstanceCapacity",
              "on-demand g6.xlarge in us-east-1a: InsufficientInstanceCapacity",
              "on-demand g6.xlarge in us-east-1b (us-east-1): launched "
                  + i.instanceId()
                  + " at $0.8048/h");
      assertThat(aws.warnings)
          .singleElement()
          .asString()
          .startsWith("Launched on-demand g6.xlarge in us-east-1b (us-east-1) at $0.8048/h")
          .contains("candidate 4 of 4 after on-demand g5.xlarge in us-east-1a:");
      assertThat(m.describe()).containsEntry("price_per_hour", "0.8048");
    } finally {
      t.destroy(log);
    }
  }

  @Test
  void orderPriceTriesTheCheapestTypeFirst() throws Exception {
    MemoryFacts facts = new MemoryFacts();
    Target t =
        aws.open("run-cheap", facts, AwsHarness.settings("instance_type", TYPES, "order", "price"));
    RecordingLog log = aws.log("run-cheap", "provision");
    t.provision(log);
    try {
      assertThat(aws.instancesOf("run-cheap").get(0).instanceTypeAsString()).isEqualTo("g6.xlarge");
      assertThat(aws.warnings).isEmpty();
      assertThat(log.lines()).contains("candidate 1 of 2");
    } finally {
      t.destroy(log);
    }
  }

  @Test
  void noCapacityAnywhereFailsClearlyAndLaunchesNothing() {
    MOTO.faults("{\"capacity_only\": []}");
    MemoryFacts facts = new MemoryFacts();
    Target t =
        aws.open(
            "run-none",
            facts,
            AwsHarness.settings(
                "instance_type", TYPES, "availability_zones", ZONES, "market", "spot"));
    assertThatThrownBy(() -> t.provision(aws.log("run-none", "provision")))
        .isInstanceOf(StepException.class)
        .hasMessageContaining("No candidate could be launched (4 tried)")
        .hasMessageContaining("spot g6.xlarge in us-east-1b: InsufficientInstanceCapacity")
        .satisfies(
            e -> {
              StepException s = (StepException) e;
              assertThat(s.retryable()).isTrue();
              assertThat(s.hint()).get().asString().contains("spot_or_on_demand");
            });
    assertThat(aws.instancesOf("run-none")).isEmpty();
    assertThat(MOTO.stats().get("run_instances")).isZero();
    assertThat(attempts(facts)).hasSize(4);
  }

  @Test
  void spotFailsOverAcrossCandidatesBeforeFallingBackToOnDemand() throws Exception {
    MOTO.faults("{\"capacity\": \"spot\"}");
    Target t =
        aws.open(
            "run-sod",
            new MemoryFacts(),
            AwsHarness.settings(
                "instance_type", TYPES, "market", "spot_or_on_demand", "max_price", "0.6"));
    RecordingLog log = aws.log("run-sod", "provision");
    t.provision(log);
    try {
      assertThat(aws.warnings.get(0))
          .contains("No spot candidate could be launched")
          .contains("spot g5.xlarge: InsufficientInstanceCapacity")
          .contains("spot g6.xlarge: InsufficientInstanceCapacity")
          .contains("launching ON-DEMAND at $1.006/h");
      Instance i = aws.instancesOf("run-sod").get(0);
      assertThat(i.instanceTypeAsString()).isEqualTo("g5.xlarge");
      assertThat(i.instanceLifecycleAsString()).isNull();
    } finally {
      t.destroy(log);
    }
  }

  private static List<String> attempts(MemoryFacts facts) {
    return facts.all().entrySet().stream()
        .filter(e -> e.getKey().startsWith("aws.attempt."))
        .map(Map.Entry::getValue)
        .collect(Collectors.toList());
  }
}
