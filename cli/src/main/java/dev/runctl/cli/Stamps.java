package dev.runctl.cli;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The time stamps of run lines: an instant as the local wall-clock time, formatted once a second.
 */
final class Stamps {
  private static final ZoneId ZONE = ZoneId.systemDefault();

  /**
   * The last second stamped, as the first 19 characters of its instant ({@code
   * yyyy-MM-ddTHH:mm:ss}), and its text: a run prints many lines within one second.
   */
  private record Stamp(String second, String text) {}

  private static final AtomicReference<Stamp> LAST = new AtomicReference<>(new Stamp("", ""));

  private Stamps() {}

  /**
   * {@code at} (an instant as {@link Instant#toString} writes it) as the local wall-clock time,
   * {@code HH:mm:ss}. Two lines per step of a large run: read without a parser, and formatted once
   * per second.
   */
  static String stamp(String at) {
    Stamp last = LAST.get();
    if (!last.second().isEmpty() && at.startsWith(last.second())) {
      return last.text();
    }
    LocalTime t = LocalTime.ofInstant(Instant.ofEpochSecond(epochSecond(at)), ZONE);
    String text =
        twoDigits(t.getHour()) + ":" + twoDigits(t.getMinute()) + ":" + twoDigits(t.getSecond());
    LAST.set(new Stamp(common(at) ? at.substring(0, 19) : "", text));
    return text;
  }

  /** {@code yyyy-MM-ddTHH:mm:ss} then a fraction or Z: its first 19 characters name the second. */
  private static boolean common(String at) {
    return at.length() >= 20
        && at.charAt(4) == '-'
        && at.charAt(10) == 'T'
        && (at.charAt(19) == '.' || at.charAt(19) == 'Z');
  }

  /** Without {@link String#format}, whose first use costs a fresh process milliseconds. */
  private static String twoDigits(int n) {
    return n < 10 ? "0" + n : Integer.toString(n);
  }

  /** The seconds of {@code yyyy-MM-ddTHH:mm:ss...Z}; other forms go through the full parser. */
  private static long epochSecond(String at) {
    if (common(at) && at.endsWith("Z")) {
      try {
        return LocalDateTime.of(
                Integer.parseInt(at, 0, 4, 10),
                Integer.parseInt(at, 5, 7, 10),
                Integer.parseInt(at, 8, 10, 10),
                Integer.parseInt(at, 11, 13, 10),
                Integer.parseInt(at, 14, 16, 10),
                Integer.parseInt(at, 17, 19, 10))
            .toEpochSecond(ZoneOffset.UTC);
      } catch (RuntimeException e) {
        // not the common form after all
      }
    }
    return Instant.parse(at).getEpochSecond();
  }
}
