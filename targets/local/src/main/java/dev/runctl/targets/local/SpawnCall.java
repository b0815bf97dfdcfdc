package dev.runctl.targets.local;

import java.time.Duration;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One command started through the {@link SpawnHelper}: the helper's reader thread reports its pid,
 * output, end of output and exit code; the thread that runs the command waits on them.
 */
final class SpawnCall {
  private final long id;
  private final String token;
  private final TailPump output;
  private final CountDownLatch exited = new CountDownLatch(1);
  private final CountDownLatch closed = new CountDownLatch(1);
  private volatile long pid = -1;
  private volatile int exitCode;
  private volatile boolean orphaned;

  SpawnCall(long id, String token, TailPump output) {
    this.id = id;
    this.token = token;
    this.output = output;
  }

  long id() {
    return id;
  }

  /** The value of {@link SpawnHelper#CALL_ENV} the command and its children carry. */
  String token() {
    return token;
  }

  /** The command's pid (also its process group and session), or -1 before it was reported. */
  long pid() {
    return pid;
  }

  /** Reported: the command runs with {@code pid}. */
  void started(long pid) {
    this.pid = pid;
  }

  /** Reported: the command's output pipe closed; all of it was copied. */
  void closed() {
    closed.countDown();
  }

  /** Reported: the command ended with {@code code}. */
  void exited(int code) {
    this.exitCode = code;
    exited.countDown();
  }

  /**
   * Waits for the command's end and answers its exit code (128 + signal when killed), or empty when
   * the helper ended before it could report one (killed from outside, or closed as runctl stops).
   */
  OptionalInt awaitExit() throws InterruptedException {
    exited.await();
    return orphaned ? OptionalInt.empty() : OptionalInt.of(exitCode);
  }

  boolean exited() {
    return exited.getCount() == 0;
  }

  /** True once all output was copied (the pipe closed) within {@code timeout}. */
  boolean awaitClosed(Duration timeout) throws InterruptedException {
    return closed.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  String tail() {
    return output.tail();
  }

  void copy(byte[] buf, int n) {
    try {
      output.accept(buf, 0, n);
    } catch (RuntimeException e) {
      // a log that cannot take output loses it; the other commands' output keeps flowing
    }
  }

  void orphan() {
    if (exited.getCount() != 0) {
      orphaned = true;
    }
    exited.countDown();
    closed.countDown();
  }
}
