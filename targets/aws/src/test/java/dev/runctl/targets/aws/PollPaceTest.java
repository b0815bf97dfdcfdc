package dev.runctl.targets.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class PollPaceTest {
  /** The looks at a command that ends after {@code length}, and when the last one sees its end. */
  private record Looks(int count, Duration seenAt) {}

  private static Looks follow(Duration length) {
    Duration at = Duration.ZERO;
    Duration pause = PollPace.FIRST;
    int count = 0;
    while (true) {
      at = at.plus(pause);
      count++;
      if (at.compareTo(length) >= 0) {
        return new Looks(count, at);
      }
      pause = PollPace.next(at, pause);
    }
  }

  @Test
  void aShortCommandIsSeenEndedWithinATenthOfASecond() {
    for (int ms : new int[] {300, 1000, 1900}) {
      Looks l = follow(Duration.ofMillis(ms));
      assertThat(l.seenAt().minusMillis(ms))
          .as(ms + " ms")
          .isLessThanOrEqualTo(Duration.ofMillis(100));
    }
    assertThat(follow(Duration.ofSeconds(1)).count()).isLessThanOrEqualTo(11);
  }

  @Test
  void aCommandOfSomeSecondsIsSeenWithinAQuarterOfASecond() {
    Looks l = follow(Duration.ofMillis(6_020));
    assertThat(l.seenAt().minusMillis(6_020)).isLessThanOrEqualTo(Duration.ofMillis(250));
  }

  @Test
  void aLongCommandCostsOneLookEveryTwoSeconds() {
    Looks minute = follow(Duration.ofSeconds(60));
    assertThat(minute.count()).isBetween(70, 90);
    Looks hour = follow(Duration.ofHours(1));
    // past the first minute: one look per 2 s
    assertThat(hour.count() - minute.count()).isBetween(1_760, 1_780);
    assertThat(PollPace.next(Duration.ofMinutes(30), PollPace.MAX)).isEqualTo(PollPace.MAX);
  }
}
