package dev.runctl.engine.state;

import java.util.Locale;

/** How a run stands: live (or crashed while live), or how it ended. */
public enum RunStatus {
  RUNNING,
  SUCCEEDED,
  FAILED,
  CANCELLED;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static RunStatus fromLabel(String label) {
    return valueOf(label.toUpperCase(Locale.ROOT));
  }
}
