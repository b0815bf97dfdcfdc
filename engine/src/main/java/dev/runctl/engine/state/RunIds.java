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
    if (p.length < 4) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.from(STAMP.parse(p[p.length - 3] + "-" + p[p.length - 2])));
    } catch (java.time.DateTimeException e) {
      return Optional.empty();
    }
  }

  /** The job name an id begins with, or the id when it has no time stamp. */
  public static String job(String runId) {
    if (time(runId).isEmpty()) {
      return runId;
    }
    String[] p = runId.split("-");
    return String.join("-", java.util.Arrays.asList(p).subList(0, p.length - 3));
  }
}
