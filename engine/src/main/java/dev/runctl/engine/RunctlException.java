package dev.runctl.engine;

import java.util.Optional;

/**
 * The root of every error runctl reports to a user. The message says what failed and why; the hint,
 * when present, says what to do about it. Low-level exceptions are translated into a subtype once,
 * at the boundary where their meaning is known.
 */
public class RunctlException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String hint;

  public RunctlException(String message) {
    this(message, null, null);
  }

  public RunctlException(String message, String hint) {
    this(message, hint, null);
  }

  public RunctlException(String message, String hint, Throwable cause) {
    super(message, cause);
    this.hint = hint;
  }

  /** What the user can do about it, if known. */
  public Optional<String> hint() {
    return Optional.ofNullable(hint);
  }
}
