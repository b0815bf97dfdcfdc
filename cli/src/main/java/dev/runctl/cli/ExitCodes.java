package dev.runctl.cli;

/**
 * The exit codes of the command-line contract (README, docs/engine.md). Which code a failure gets
 * is decided in {@link ErrorHandler} alone, from its {@link dev.runctl.engine.ErrorCategory}.
 */
public final class ExitCodes {
  /** Success: the spec is valid, the run succeeded. */
  public static final int OK = 0;

  /**
   * A step failed or the budget was exceeded (apply, resume), or something outside runctl refused
   * (a destroy left resources behind, a backend could not be reached).
   */
  public static final int FAILED = 1;

  /** An invalid spec, bad arguments, or an unknown run. */
  public static final int INVALID = 2;

  /** The run is held by another live runctl process. */
  public static final int LOCKED = 3;

  /** resume found changed inputs of succeeded steps and was not told to rerun them. */
  public static final int CHANGED_INPUTS = 4;

  /**
   * runctl itself could not work: its state folder is unwritable, the disk is full, a journal is
   * unreadable or damaged.
   */
  public static final int STATE = 5;

  /**
   * Interrupted: 128 + SIGINT, for Ctrl+C, SIGTERM, SIGHUP (the terminal closed) and {@code runctl
   * cancel} alike; the run's end is journaled.
   */
  public static final int INTERRUPTED = 130;

  private ExitCodes() {}
}
