package dev.runctl.engine.spi;

import java.time.Duration;

/** A handle on a detached process; {@link #handle()} is durable and reattaches after a restart. */
public interface DetachedProcess {
  String handle();

  ProcessPoll poll(long outputOffset) throws InterruptedException;

  /** SIGTERM to the process group, SIGKILL after {@code grace}; returns once it has ended. */
  void terminate(Duration grace) throws InterruptedException;
}
