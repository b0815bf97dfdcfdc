package dev.runctl.engine.state;

import java.util.Locale;

/** How a run stands: live (or crashed while live), or how it ended. */
public enum RunStatus {
  RUNNING(-1),
  SUCCEEDED(0),
  FAILED(1),
  CANCELLED(130);

  private final int exitCode;

  RunStatus(int exitCode) {
    this.exitCode = exitCode;
  }

  /** The exit code of the command that ended the run this way (spec-v1). */
  public int exitCode() {
    return exitCode;
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static RunStatus fromLabel(String label) {
    return valueOf(label.toUpperCase(Locale.ROOT));
  }
}
