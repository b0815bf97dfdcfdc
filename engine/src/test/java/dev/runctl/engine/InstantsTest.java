package dev.runctl.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class InstantsTest {
  @Test
  void writesInstantsExactlyAsInstantToStringDoes() {
    List<Instant> edges =
        List.of(
            Instant.EPOCH,
            Instant.parse("2026-11-23T23:22:11Z"),
            Instant.parse("2026-11-23T23:22:11.100Z"),
            Instant.parse("2026-11-23T23:22:11.000100Z"),
            Instant.parse("2026-11-23T23:22:11.000000100Z"),
            Instant.parse("2026-11-23T23:22:11.999999999Z"),
            Instant.parse("0001-01-01T00:00:00Z"),
            Instant.parse("9999-12-31T23:59:59.5Z"),
            Instant.parse("+10000-01-01T00:00:00Z"),
            Instant.parse("1969-12-31T23:59:59.999Z"));
    for (Instant t : edges) {
      assertThat(Instants.iso(t)).isEqualTo(t.toString());
    }
    Random r = new Random(42);
    for (int i = 0; i < 20_000; i++) {
      long second = Math.floorMod(r.nextLong(), 253402300800L);
      int nano =
          switch (i % 4) {
            case 0 -> 0;
            case 1 -> r.nextInt(1000) * 1_000_000;
            case 2 -> r.nextInt(1_000_000) * 1000;
            default -> r.nextInt(1_000_000_000);
          };
      // neighbours in time too, as a run writes them: the cached second must be used right
      Instant t = Instant.ofEpochSecond(i % 2 == 0 ? second : 1_795_000_000L + i / 100, nano);
      assertThat(Instants.iso(t)).isEqualTo(t.toString());
    }
  }
}
