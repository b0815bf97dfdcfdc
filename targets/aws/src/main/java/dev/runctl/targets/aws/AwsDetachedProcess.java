package dev.runctl.targets.aws;

import dev.runctl.engine.spi.DetachedProcess;
import dev.runctl.engine.spi.ProcessPoll;
import dev.runctl.engine.spi.StepException;
import java.time.Duration;
import java.util.OptionalInt;

/** A process under runctl's wrapper on an instance; polled through one SSM command per look. */
final class AwsDetachedProcess implements DetachedProcess {
  /** Bytes of log one poll returns at most (beyond 15,000 they travel through the bucket). */
  static final long MAX_CHUNK = 1 << 20;

  /**
   * The first look at a process this runctl has just started waits on the instance up to this many
   * tenths of a second for its first output: the first line shows without a polling interval.
   */
  static final int FIRST_OUTPUT_WAIT_TENTHS = 30;

  private final Processes processes;
  private final String name;
  private final String watch;
  private boolean justStarted;

  AwsDetachedProcess(Processes processes, String name, String watch, boolean justStarted) {
    this.processes = processes;
    this.name = name;
    this.watch = watch;
    this.justStarted = justStarted;
  }

  @Override
  public String handle() {
    return processes.handle(name);
  }

  @Override
  public ProcessPoll poll(long outputOffset) throws InterruptedException {
    int wait = justStarted && outputOffset == 0 ? FIRST_OUTPUT_WAIT_TENTHS : 0;
    justStarted = false;
    return poll(outputOffset, wait);
  }

  /** A poll that waits on the instance up to {@code waitTenths}/10 s for output or the end. */
  ProcessPoll poll(long offset, int waitTenths) throws InterruptedException {
    RemoteShell.Captured c = processes.poll(name, watch, offset, waitTenths, MAX_CHUNK);
    String state = c.marker("state");
    String[] f = state == null ? new String[0] : state.trim().split(" ");
    byte[] out = c.payload();
    long next = out.length == 0 ? offset : offset + out.length;
    long size = f.length > 2 ? parseLong(f[2], next) : next;
    String sig = f.length > 3 ? f[3] : "-";
    if (f.length == 0 || !(f[0].equals("EXITED") || f[0].equals("RUNNING"))) {
      // the process vanished without an exit code: a reclaim kills processes before the state
      // changes, so the instance's notice and state decide (an interruption is thrown)
      StepException gone =
          StepException.transientError("the process '" + name + "' vanished", null, null);
      StepException why = processes.unexpectedEnd(gone);
      if (why != gone) {
        throw why;
      }
      return new ProcessPoll(ProcessPoll.State.LOST, OptionalInt.empty(), out, next, sig);
    }
    switch (f[0]) {
      case "EXITED":
        if (next < size) {
          // more log to drain before the end is reported
          return new ProcessPoll(ProcessPoll.State.RUNNING, OptionalInt.empty(), out, next, sig);
        }
        return new ProcessPoll(
            ProcessPoll.State.EXITED, OptionalInt.of((int) parseLong(f[1], -1)), out, next, sig);
      case "RUNNING":
        return new ProcessPoll(ProcessPoll.State.RUNNING, OptionalInt.empty(), out, next, sig);
      default:
        throw new IllegalStateException(f[0]);
    }
  }

  @Override
  public void terminate(Duration grace) throws InterruptedException {
    processes.terminate(name, grace);
  }

  private static long parseLong(String s, long fallback) {
    try {
      return Long.parseLong(s.trim());
    } catch (NumberFormatException e) {
      return fallback;
    }
  }
}
