package dev.runctl.engine.testing;

import dev.runctl.engine.spi.RunClock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock that moves only when told: {@link #advance} moves it, and {@link #sleep} moves it by the
 * time slept at once (so code that polls with sleeps runs instantly, in order). Thread-safe.
 */
public final class FakeClock implements RunClock {
  private final AtomicReference<Instant> now;

  public FakeClock() {
    this(Instant.parse("2026-01-01T00:00:00Z"));
  }

  public FakeClock(Instant start) {
    this.now = new AtomicReference<>(start);
  }

  @Override
  public Instant now() {
    return now.get();
  }

  public void advance(Duration d) {
    now.updateAndGet(t -> t.plus(d));
  }

  @Override
  public void sleep(Duration duration) throws InterruptedException {
    if (Thread.interrupted()) {
      throw new InterruptedException("sleep interrupted");
    }
    advance(duration);
    Thread.yield();
  }
}
