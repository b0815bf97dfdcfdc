package dev.runctl.engine;

/**
 * What kind of failure a {@link RunctlException} is, which decides the exit code of the command
 * that meets it (the CLI's {@code ErrorHandler} alone maps categories to codes).
 */
public enum ErrorCategory {
  /** An invalid spec, bad arguments, an unknown run: the user fixes the input. */
  USAGE,
  /**
   * Something outside runctl is missing or refuses: credentials, a backend that cannot be reached,
   * resources a destroy could not remove.
   */
  ENVIRONMENT,
  /** The run's work failed: a step failed, the budget was exceeded. */
  RUN_FAILED,
  /** The run is held by another live runctl process. */
  LOCKED,
  /** resume found changed inputs of succeeded steps and was not told to rerun them. */
  CHANGED_INPUTS,
  /** Ctrl+C, SIGTERM or {@code runctl cancel}. */
  INTERRUPTED,
  /**
   * runctl itself could not work: its state folder is unwritable, the disk is full, a journal is
   * unreadable or damaged.
   */
  STATE
}
