package dev.runctl.targets.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runctl.engine.spi.MemoryFacts;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunFactsTest {
  @Test
  void recordsEveryInstanceAndPricesTheirUptime() {
    RunFacts f = new RunFacts(new MemoryFacts());
    Instant t0 = Instant.parse("2026-11-23T10:00:00Z");
    f.launched("i-1", t0, new BigDecimal("1.20"), "spot");
    f.ended("i-1", t0.plusSeconds(1800));
    f.launched("i-2", t0.plusSeconds(1800), new BigDecimal("2.00"), "on_demand");
    assertThat(f.instances()).containsExactly("i-1", "i-2");
    assertThat(f.current()).contains("i-2");
    // 0.5 h x 1.20 + 1 h x 2.00
    assertThat(f.costUntil(t0.plusSeconds(5400))).contains(new BigDecimal("2.6000"));
    f.ended("i-1", t0.plusSeconds(9999)); // the first end stays
    assertThat(f.costUntil(t0.plusSeconds(5400))).contains(new BigDecimal("2.6000"));
  }

  @Test
  void noInstanceNoCost() {
    assertThat(new RunFacts(new MemoryFacts()).costUntil(Instant.now())).isEmpty();
    assertThat(new RunFacts(new MemoryFacts()).instances()).isEqualTo(List.of());
  }
}
