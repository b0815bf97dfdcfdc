package dev.runctl.engine.state;

import java.util.Locale;

/** Where a step stands in a run. */
public enum StepStatus {
  PENDING,
  RUNNING,
  SUCCEEDED,
  FAILED,
  /** Its condition could not hold (a need failed or was skipped, the run stopped). */
  SKIPPED,
  /** It was running when the run was cancelled or stopped by its budget. */
  CANCELLED;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  public boolean ended() {
    return this != PENDING && this != RUNNING;
  }

  public static StepStatus fromLabel(String label) {
    return valueOf(label.toUpperCase(Locale.ROOT));
  }
}
