package dev.runctl.engine;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Instants as text, exactly as {@link Instant#toString} writes them ({@code
 * 2026-11-23T23:22:11.123Z}: the fraction in groups of three digits, none when zero), without the
 * JDK's formatter: a run stamps every journal record and every console line, and a fresh JVM runs
 * that formatter's layers interpreted for most of a run. The date and time of the last second
 * written is kept, since a run writes many stamps within one second.
 */
public final class Instants {
  private record Second(long epochSecond, String text) {}

  /** 10000-01-01T00:00:00Z: from there on, years have more digits and the JDK writes them. */
  private static final long YEAR_10000 = 253402300800L;

  private static volatile Second last = new Second(Long.MIN_VALUE, "");

  private Instants() {}

  /** {@code t} as {@link Instant#toString} writes it. */
  public static String iso(Instant t) {
    long s = t.getEpochSecond();
    if (s < 0 || s >= YEAR_10000) {
      return t.toString();
    }
    Second c = last;
    if (c.epochSecond() != s) {
      c = new Second(s, dateTime(s));
      last = c;
    }
    int nano = t.getNano();
    if (nano == 0) {
      return c.text() + "Z";
    }
    StringBuilder b = new StringBuilder(32).append(c.text()).append('.');
    if (nano % 1_000_000 == 0) {
      digits(b, nano / 1_000_000, 3);
    } else if (nano % 1000 == 0) {
      digits(b, nano / 1000, 6);
    } else {
      digits(b, nano, 9);
    }
    return b.append('Z').toString();
  }

  private static String dateTime(long epochSecond) {
    LocalDateTime d = LocalDateTime.ofEpochSecond(epochSecond, 0, ZoneOffset.UTC);
    StringBuilder b = new StringBuilder(20);
    digits(b, d.getYear(), 4);
    digits(b.append('-'), d.getMonthValue(), 2);
    digits(b.append('-'), d.getDayOfMonth(), 2);
    digits(b.append('T'), d.getHour(), 2);
    digits(b.append(':'), d.getMinute(), 2);
    digits(b.append(':'), d.getSecond(), 2);
    return b.toString();
  }

  /** {@code value} with leading zeros to {@code width} digits. */
  private static void digits(StringBuilder b, int value, int width) {
    for (int limit = 10; width > 1; width--, limit *= 10) {
      if (value < limit) {
        b.append('0');
      }
    }
    b.append(value);
  }
}
