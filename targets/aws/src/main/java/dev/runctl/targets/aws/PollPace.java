package dev.runctl.targets.aws;

import java.time.Duration;

/**
 * How long to wait before the next look at an SSM command: short while a command is young (most of
 * runctl's commands end within a second or two, and each look that comes late delays the step by
 * that much), then backing off to {@link #MAX}, so that a long command costs one
 * GetCommandInvocation every two seconds. A command of 60 s is looked at about 80 times; one of 1
 * s, ten times.
 */
final class PollPace {
  static final Duration FIRST = Duration.ofMillis(50);
  static final Duration MAX = Duration.ofSeconds(2);

  /** Looks every 100 ms during the command's first seconds... */
  private static final Duration QUICK = Duration.ofMillis(100);

  private static final Duration QUICK_UNTIL = Duration.ofSeconds(2);

  /** ...every 250 ms until it is 10 s old, then 1.5 times longer each time up to {@link #MAX}. */
  private static final Duration STEADY = Duration.ofMillis(250);

  private static final Duration STEADY_UNTIL = Duration.ofSeconds(10);

  private PollPace() {}

  /** The pause after {@code previous}, for a command that has run {@code elapsed} so far. */
  static Duration next(Duration elapsed, Duration previous) {
    if (elapsed.compareTo(QUICK_UNTIL) < 0) {
      return QUICK;
    }
    if (elapsed.compareTo(STEADY_UNTIL) < 0) {
      return STEADY;
    }
    Duration longer = previous.multipliedBy(3).dividedBy(2);
    if (longer.compareTo(STEADY) < 0) {
      longer = STEADY;
    }
    return longer.compareTo(MAX) > 0 ? MAX : longer;
  }
}
