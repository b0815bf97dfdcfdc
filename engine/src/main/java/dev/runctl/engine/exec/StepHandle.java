package dev.runctl.engine.exec;

import dev.failsafe.Call;

/** A running step as the coordinator sees it: stop it, or stop it harder. */
final class StepHandle {
  private volatile boolean cancelled;
  private volatile String reason = "";
  private volatile Call<?> call;
  private volatile Thread thread;

  void started(Call<?> c) {
    this.call = c;
    this.thread = Thread.currentThread();
    if (cancelled) {
      c.cancel(true);
    }
  }

  void ended() {
    thread = null;
    call = null;
  }

  /** Stops the step: its attempt is interrupted (the machine kills the command's process tree). */
  void cancel(String why) {
    reason = why;
    cancelled = true;
    Call<?> c = call;
    if (c != null) {
      c.cancel(true);
    }
  }

  /** A second stop: interrupts again, so that a grace period in progress is cut short. */
  void force() {
    Thread t = thread;
    if (t != null) {
      t.interrupt();
    }
  }

  boolean cancelled() {
    return cancelled;
  }

  String reason() {
    return reason;
  }
}
