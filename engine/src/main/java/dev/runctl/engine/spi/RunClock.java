package dev.runctl.engine.spi;

import java.time.Duration;
import java.time.Instant;

/** Time as runctl sees it; injected so that tests can advance it instead of waiting. */
public interface RunClock {
  Instant now();

  /** Sleeps, or returns early by throwing when the current thread is interrupted. */
  void sleep(Duration duration) throws InterruptedException;

  RunClock SYSTEM =
      new RunClock() {
        @Override
        public Instant now() {
          return Instant.now();
        }

        @Override
        public void sleep(Duration duration) throws InterruptedException {
          Thread.sleep(duration.toMillis());
        }
      };
}
