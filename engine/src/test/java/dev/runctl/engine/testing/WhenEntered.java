package dev.runctl.engine.testing;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Acts on a run from outside once a step is running: a thread that waits (up to 20 s) for {@code
 * entered}, then runs {@code action} (a cancel, a clock moved past a budget).
 */
public final class WhenEntered {
  private WhenEntered() {}

  /** The thread, started. */
  public static Thread start(CountDownLatch entered, Runnable action) {
    Thread t =
        new Thread(
            () -> {
              try {
                entered.await(20, TimeUnit.SECONDS);
                action.run();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    t.start();
    return t;
  }
}
