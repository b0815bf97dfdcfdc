package dev.runctl.engine.spi;

import dev.runctl.engine.ErrorCategory;
import dev.runctl.engine.RunctlException;

/**
 * A classified failure of one attempt. The code that knows what went wrong says which class it is
 * and whether another attempt could help; {@code retryable = false} stops retries whatever {@code
 * retry.on} says (a bad configuration, a missing permission).
 */
public class StepException extends RunctlException {
  private static final long serialVersionUID = 1L;
  private final ErrorClass errorClass;
  private final boolean retryable;

  public StepException(ErrorClass errorClass, String message, String hint) {
    this(errorClass, true, message, hint, null);
  }

  public StepException(
      ErrorClass errorClass, boolean retryable, String message, String hint, Throwable cause) {
    super(ErrorCategory.RUN_FAILED, message, hint, cause);
    this.errorClass = errorClass;
    this.retryable = retryable;
  }

  public static StepException failure(String message, String hint) {
    return new StepException(ErrorClass.FAILURE, message, hint);
  }

  public static StepException transientError(String message, String hint, Throwable cause) {
    return new StepException(ErrorClass.ERROR, true, message, hint, cause);
  }

  public static StepException fatal(String message, String hint) {
    return new StepException(ErrorClass.ERROR, false, message, hint, null);
  }

  public static StepException interruption(String message, String hint) {
    return new StepException(ErrorClass.INTERRUPTION, message, hint);
  }

  public static StepException timeout(String message, String hint) {
    return new StepException(ErrorClass.TIMEOUT, message, hint);
  }

  public ErrorClass errorClass() {
    return errorClass;
  }

  public boolean retryable() {
    return retryable;
  }
}
