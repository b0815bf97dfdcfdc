package dev.runctl.cli;

import dev.runctl.engine.RunctlException;

/**
 * An error a command reports to the user with a specific exit code (an unknown run id: {@link
 * ExitCodes#INVALID}; a locked run: {@link ExitCodes#LOCKED}). Thrown from a command's {@code
 * call()}; {@link ErrorHandler} prints it and exits with {@link #exitCode()}.
 */
public class CliException extends RunctlException {
  private static final long serialVersionUID = 1L;
  private final int exitCode;

  public CliException(int exitCode, String message, String hint) {
    this(exitCode, message, hint, null);
  }

  public CliException(int exitCode, String message, String hint, Throwable cause) {
    super(message, hint, cause);
    this.exitCode = exitCode;
  }

  public int exitCode() {
    return exitCode;
  }
}
