package dev.runctl.engine.spi;

import java.util.Locale;
import java.util.Optional;

/** Why an attempt failed; {@code retry.on} selects the classes that earn another attempt. */
public enum ErrorClass {
  /** A transient infrastructure error: throttling, a dropped connection, a 5xx. */
  ERROR,
  /** The command ran and exited non-zero, or a check did not hold. */
  FAILURE,
  /** The attempt ran past {@code timeout} or {@code progress_timeout}. */
  TIMEOUT,
  /** The machine went away (a spot reclaim, a terminated instance). */
  INTERRUPTION;

  public String yaml() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<ErrorClass> fromYaml(String text) {
    for (ErrorClass c : values()) {
      if (c.yaml().equals(text)) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }
}
