package dev.runctl.targets.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runctl.engine.spi.MemoryFacts;
import java.math.BigDecimal;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;

class LiveInstancesTest {
  private static final Instant LAUNCHED = Instant.parse("2026-11-23T10:00:00Z");

  private static Instance instance(String lifecycle) {
    return Instance.builder()
        .instanceId("i-0abc")
        .state(s -> s.name(InstanceStateName.RUNNING))
        .instanceType("g5.xlarge")
        .instanceLifecycle(lifecycle)
        .launchTime(LAUNCHED)
        .build();
  }

  @Test
  void aLeakedInstanceSaysWhatItHasCostSoFar() {
    RunFacts facts = new RunFacts(new MemoryFacts());
    facts.launched("i-0abc", LAUNCHED, new BigDecimal("0.30"), "spot");
    assertThat(
            LiveInstances.describe(instance("spot"), facts, LAUNCHED.plusSeconds(2 * 3600 + 780)))
        .isEqualTo("i-0abc running (g5.xlarge spot, $0.30/h, up 2h13m, $0.67 so far)");
  }

  @Test
  void withoutARecordedPriceItSaysNoCost() {
    assertThat(
            LiveInstances.describe(
                instance(null), new RunFacts(new MemoryFacts()), LAUNCHED.plusSeconds(90)))
        .isEqualTo("i-0abc running (g5.xlarge on-demand, up 1m30s)");
  }
}
