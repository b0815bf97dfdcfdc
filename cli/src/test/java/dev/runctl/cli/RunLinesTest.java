package dev.runctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunLinesTest {
  private static final DateTimeFormatter CLOCK =
      DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

  @Test
  void stampsShowTheLocalWallClockOfTheInstant() {
    List<Instant> instants =
        List.of(
            Instant.parse("2026-11-23T17:27:44.123456789Z"),
            Instant.parse("2026-11-23T17:27:44.9Z"), // the same second again
            Instant.parse("2026-11-23T17:27:45Z"), // no fraction
            Instant.parse("2024-02-29T23:59:59.999Z"),
            Instant.parse("1970-01-01T00:00:00Z"),
            Instant.parse("+12026-01-01T08:00:00Z")); // outside yyyy: the full parser
    for (Instant at : instants) {
      assertThat(Stamps.stamp(at.toString())).as(at.toString()).isEqualTo(CLOCK.format(at));
    }
  }

  @Test
  void elapsedTimesUseADotWhateverTheDefaultLocale() {
    java.util.Locale before = java.util.Locale.getDefault();
    try {
      java.util.Locale.setDefault(java.util.Locale.GERMANY);
      assertThat(RunLines.elapsed(java.time.Duration.ofMillis(12_345))).isEqualTo("12.3s");
      assertThat(RunLines.elapsed(java.time.Duration.ofSeconds(245))).isEqualTo("4m05s");
    } finally {
      java.util.Locale.setDefault(before);
    }
  }
}
