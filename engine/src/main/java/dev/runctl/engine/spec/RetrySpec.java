package dev.runctl.engine.spec;

import dev.runctl.engine.spi.ErrorClass;
import java.time.Duration;
import java.util.Set;

/** The effective retry settings of a step, defaults applied. */
public record RetrySpec(
    int maxAttempts,
    Duration initialInterval,
    double backoffCoefficient,
    Duration maxInterval,
    Set<ErrorClass> on) {

  public static final Duration DEFAULT_INITIAL_INTERVAL = Duration.ofSeconds(5);
  public static final double DEFAULT_BACKOFF = 2.0;
  public static final Duration DEFAULT_MAX_INTERVAL = Duration.ofMinutes(5);
  public static final Set<ErrorClass> DEFAULT_ON =
      Set.of(ErrorClass.ERROR, ErrorClass.TIMEOUT, ErrorClass.INTERRUPTION);

  public RetrySpec {
    on = Set.copyOf(on);
  }

  public static RetrySpec defaults(int maxAttempts) {
    return new RetrySpec(
        maxAttempts, DEFAULT_INITIAL_INTERVAL, DEFAULT_BACKOFF, DEFAULT_MAX_INTERVAL, DEFAULT_ON);
  }
}
