package dev.runctl.engine;

import java.util.Optional;

/**
 * The root of every error runctl reports to a user. The message says what failed and why; the hint,
 * when present, says what to do about it. Low-level exceptions are translated into a subtype once,
 * at the boundary where their meaning is known, with the {@link ErrorCategory} that decides the
 * exit code.
 */
public class RunctlException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final ErrorCategory category;
  private final String hint;

  /** A {@link ErrorCategory#USAGE} error. */
  public RunctlException(String message) {
    this(ErrorCategory.USAGE, message, null, null);
  }

  /** A {@link ErrorCategory#USAGE} error. */
  public RunctlException(String message, String hint) {
    this(ErrorCategory.USAGE, message, hint, null);
  }

  /** A {@link ErrorCategory#USAGE} error. */
  public RunctlException(String message, String hint, Throwable cause) {
    this(ErrorCategory.USAGE, message, hint, cause);
  }

  public RunctlException(ErrorCategory category, String message, String hint) {
    this(category, message, hint, null);
  }

  public RunctlException(ErrorCategory category, String message, String hint, Throwable cause) {
    super(message, cause);
    this.category = category;
    this.hint = hint;
  }

  /** What kind of failure this is; it decides the exit code. */
  public ErrorCategory category() {
    return category;
  }

  /** What the user can do about it, if known. */
  public Optional<String> hint() {
    return Optional.ofNullable(hint);
  }

  /**
   * What {@code e} says went wrong: its message, or its type when it has none ("null" helps
   * nobody).
   */
  public static String reasonOf(Throwable e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
