package dev.runctl.engine.state;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

/** What a run id ({@code <job>-<yyyymmdd-hhmmss>-<4 hex>}, UTC) says about its run. */
public final class RunIds {
  static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

  private RunIds() {}

  /** When the id says the run began ({@code <job>-<yyyymmdd-hhmmss>-<4 hex>}), if it says. */
  public static Optional<Instant> time(String runId) {
    String[] p = runId.split("-");
    int at = dateAt(p);
    if (at < 1) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.from(STAMP.parse(p[at] + "-" + p[at + 1])));
    } catch (java.time.DateTimeException e) {
      return Optional.empty();
    }
  }

  /**
   * Where the date of {@code <job>-<yyyymmdd-hhmmss>-<4 hex>} is among the id's parts, or of a
   * sweep child's {@code <sweep id>-<n>}; -1 when neither.
   */
  static int dateAt(String[] p) {
    for (int back : new int[] {3, 4}) {
      int i = p.length - back;
      if (i >= 1 && p[i].length() == 8 && p[i + 1].length() == 6 && digits(p[i] + p[i + 1])) {
        return i;
      }
    }
    return -1;
  }

  private static boolean digits(String s) {
    return s.chars().allMatch(c -> c >= '0' && c <= '9');
  }

  /** The job name an id begins with, or the id when it has no time stamp. */
  public static String job(String runId) {
    if (time(runId).isEmpty()) {
      return runId;
    }
    String[] p = runId.split("-");
    return String.join("-", java.util.Arrays.asList(p).subList(0, dateAt(p)));
  }
}
