package dev.runctl.engine.exec;

import dev.failsafe.Call;

/**
 * A running step as the coordinator sees it: stop it, or stop it harder. Interrupts are sent under
 * this handle's lock, so none reaches the pool thread once {@link #ended} returned: the thread's
 * next step never sees a stop meant for this one.
 */
final class StepHandle {
  private volatile boolean cancelled;
  private volatile String reason = "";
  private Call<?> call;
  private Thread thread;

  /** The step's attempts run under Failsafe: a cancel cancels the call (and interrupts). */
  void started(Call<?> c) {
    boolean cancel;
    synchronized (this) {
      call = c;
      thread = Thread.currentThread();
      cancel = cancelled;
    }
    if (cancel) {
      c.cancel(true);
    }
  }

  /** The step's one attempt runs directly on this thread: a cancel interrupts it. */
  synchronized void started() {
    thread = Thread.currentThread();
    if (cancelled) {
      thread.interrupt();
    }
  }

  synchronized void ended() {
    thread = null;
    call = null;
  }

  /** Stops the step: its attempt is interrupted (the machine kills the command's process tree). */
  void cancel(String why) {
    Call<?> c;
    synchronized (this) {
      reason = why;
      cancelled = true;
      c = call;
      if (c == null && thread != null) {
        thread.interrupt();
      }
    }
    if (c != null) {
      c.cancel(true);
    }
  }

  /** A second stop: interrupts again, so that a grace period in progress is cut short. */
  synchronized void force() {
    if (thread != null) {
      thread.interrupt();
    }
  }

  boolean cancelled() {
    return cancelled;
  }

  String reason() {
    return reason;
  }
}
