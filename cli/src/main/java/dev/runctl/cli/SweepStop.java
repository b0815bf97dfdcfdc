package dev.runctl.cli;

import dev.runctl.engine.exec.RunControl;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A sweep's stop: the children running now, and once stopped (interrupt, fail_fast) the first
 * reason given, which cancels the running children and keeps the others from starting.
 */
final class SweepStop {
  private final List<RunControl> live = new CopyOnWriteArrayList<>();
  private final AtomicInteger asked = new AtomicInteger();
  private volatile String reason;

  /** Stops every running child and starts no other; answers how many times it was asked. */
  int stopAll(String why) {
    if (reason == null) {
      reason = why;
    }
    int n = asked.incrementAndGet();
    live.forEach(c -> c.cancel(why));
    return n;
  }

  /** Why the sweep stops, once asked to. */
  Optional<String> reason() {
    return Optional.ofNullable(reason);
  }

  /** A child now running: a later stop cancels it. */
  void running(RunControl control) {
    live.add(control);
  }

  void ended(RunControl control) {
    live.remove(control);
  }
}
