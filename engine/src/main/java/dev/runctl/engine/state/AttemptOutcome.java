package dev.runctl.engine.state;

import java.util.Locale;

/** How one attempt ended. */
public enum AttemptOutcome {
  SUCCEEDED,
  /** The idempotency check found the work already done; nothing ran. */
  ALREADY_DONE,
  FAILED,
  CANCELLED;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static AttemptOutcome fromLabel(String label) {
    return valueOf(label.toUpperCase(Locale.ROOT));
  }
}
