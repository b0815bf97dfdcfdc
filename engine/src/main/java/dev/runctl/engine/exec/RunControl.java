package dev.runctl.engine.exec;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Stops a live run from outside (Ctrl+C, {@code runctl cancel}): the first {@link #cancel} stops
 * launching steps, stops the running ones and runs the {@code always} steps; a second one also
 * skips the grace period that stopped commands get. Thread-safe; safe to call from a signal
 * handler.
 */
public final class RunControl {
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicReference<String> reason = new AtomicReference<>();
  private volatile Runnable onForce = () -> {};

  /** Asks the run to stop; returns how many times it has been asked, this one included. */
  public int cancel(String why) {
    reason.compareAndSet(null, why);
    int n = requests.incrementAndGet();
    if (n >= 2) {
      onForce.run();
    }
    return n;
  }

  public boolean cancelled() {
    return requests.get() > 0;
  }

  /** True after a second request: stop commands at once, without the grace period. */
  public boolean forced() {
    return requests.get() > 1;
  }

  public Optional<String> reason() {
    return Optional.ofNullable(reason.get());
  }

  void onForce(Runnable action) {
    this.onForce = action;
  }
}
