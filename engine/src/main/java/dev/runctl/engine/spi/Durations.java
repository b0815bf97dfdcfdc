package dev.runctl.engine.spi;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as specs write them ({@code 45s}, {@code 10m}, {@code 2h}, {@code 1h30m}): the one
 * parser and the one formatter of runctl, which also renders measured times ({@link #elapsed}).
 * Step types and targets read them through {@link SettingsReader#duration}.
 */
public final class Durations {
  private static final Pattern FORMAT =
      Pattern.compile("(?=[0-9])(?:([0-9]{1,6})h)?(?:([0-9]{1,7})m)?(?:([0-9]{1,9})s)?");

  /** The hint shown with every malformed duration. */
  public static final String HINT = "write a number with a unit: 45s, 10m, 2h or 1h30m";

  private Durations() {}

  /** The duration {@code text} denotes, or empty when it is not one. */
  public static Optional<Duration> parse(String text) {
    Matcher m = FORMAT.matcher(text);
    if (!m.matches()) {
      return Optional.empty();
    }
    Duration d = Duration.ZERO;
    if (m.group(1) != null) {
      d = d.plusHours(Long.parseLong(m.group(1)));
    }
    if (m.group(2) != null) {
      d = d.plusMinutes(Long.parseLong(m.group(2)));
    }
    if (m.group(3) != null) {
      d = d.plusSeconds(Long.parseLong(m.group(3)));
    }
    return Optional.of(d);
  }

  /**
   * The shortest spec spelling, {@code 1h30m}, {@code 45s}, {@code 0s}; under a second, in
   * milliseconds ({@code 250ms}). Whole seconds are kept, fractions dropped.
   */
  public static String format(Duration d) {
    long s = d.getSeconds();
    if (s == 0) {
      return d.toMillis() > 0 ? d.toMillis() + "ms" : "0s";
    }
    StringBuilder out = new StringBuilder();
    if (s >= 3600) {
      out.append(s / 3600).append('h');
    }
    if (s % 3600 >= 60) {
      out.append(s % 3600 / 60).append('m');
    }
    if (s % 60 > 0) {
      out.append(s % 60).append('s');
    }
    return out.toString();
  }

  /**
   * A measured time for a reader, with tenths under a minute: {@code 450ms}, {@code 12.3s}, {@code
   * 4m05s}, {@code 2h03m}. Used for what took how long; {@link #format} for settings.
   */
  public static String elapsed(Duration d) {
    long ms = d.toMillis();
    if (ms < 1000) {
      return ms + "ms";
    }
    if (ms < 60_000) {
      return String.format(Locale.ROOT, "%.1fs", ms / 1000.0);
    }
    long s = d.getSeconds();
    if (s < 3600) {
      return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
    return String.format(Locale.ROOT, "%dh%02dm", s / 3600, s % 3600 / 60);
  }
}
