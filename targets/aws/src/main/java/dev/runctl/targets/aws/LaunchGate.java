package dev.runctl.targets.aws;

import java.time.Duration;

/**
 * Holds {@code sync.upload}'s requests back until provision has asked for its instance: the boot is
 * the long pole of a run's start, and the upload's hashing and requests, beside a provision that
 * has not launched yet, slow its calls (CPU on a small machine, a shared endpoint) and so delay the
 * boot itself. Once RunInstances has answered, or provision ended without it, the upload goes on.
 */
final class LaunchGate {
  /** The longest an upload waits (a launch trying many candidates). */
  static final Duration MAX_WAIT = Duration.ofSeconds(60);

  private boolean provisioning;
  private boolean open;

  /** Provision has begun and will open the gate. */
  synchronized void provisioning() {
    provisioning = true;
  }

  /** The instance is launched (or found, or provision failed): uploads may go. */
  synchronized void open() {
    open = true;
    notifyAll();
  }

  /** Waits while a provision under way has not launched, at most {@code max}; true if it waited. */
  synchronized boolean await(Duration max) throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    boolean waited = false;
    while (provisioning && !open) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        break;
      }
      waited = true;
      wait(Math.max(1, left / 1_000_000));
    }
    return waited;
  }
}
