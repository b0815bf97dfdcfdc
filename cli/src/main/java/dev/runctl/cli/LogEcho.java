package dev.runctl.cli;

import dev.runctl.engine.exec.RunEvent;
import dev.runctl.engine.exec.RunListener;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * When stdout is not a terminal (CI, {@code | tee}): the steps' output as it is written to their
 * logs, each line prefixed with the step id ({@code train | epoch 3 loss 0.41}), between the step
 * transitions of the listener it wraps. The logs are read, not the processes: what is echoed is
 * exactly what {@code runctl logs} shows (masked).
 */
final class LogEcho implements RunListener, AutoCloseable {
  private static final long POLL_MILLIS = 200;

  /** runctl's own lines in a step log: "[2026-12-06T13:50:13.41Z] attempt 1 of step 'x'". */
  private static final java.util.regex.Pattern RUNCTL_NOTE =
      java.util.regex.Pattern.compile("\\[\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z\\] ");

  private final RunListener transitions;
  private final Output out;
  private final Map<String, Tail> tails = new LinkedHashMap<>();
  private final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
  private final Thread poller;
  private volatile boolean closed;

  private final class Tail {
    final Path file;
    long offset;
    final LineSplitter lines;

    Tail(String step, Path file) {
      this.file = file;
      this.lines =
          new LineSplitter(
              l -> {
                if (!RUNCTL_NOTE.matcher(l).lookingAt()) { // the transitions say the same
                  out.emitBuffered(new Line(step + " | " + l));
                }
              });
    }
  }

  /** One echoed line. */
  record Line(String text) implements CliEvent {
    public String type() {
      return "log";
    }
  }

  LogEcho(RunListener transitions, Output out) {
    this.transitions = transitions;
    this.out = out;
    this.poller = new Thread(this::poll, "runctl-log-echo");
    poller.setDaemon(true);
    poller.start();
  }

  @Override
  public void onEvent(RunEvent e) {
    if (e instanceof RunEvent.AttemptStarted s) {
      synchronized (this) {
        Tail old = tails.get(s.step());
        if (old == null || !old.file.equals(s.log())) {
          tails.put(s.step(), new Tail(s.step(), s.log()));
        }
      }
    } else if (e instanceof RunEvent.AttemptFailed s) {
      drain(s.step(), false);
    } else if (e instanceof RunEvent.StepEnded s) {
      drain(s.step(), true);
    } else if (e instanceof RunEvent.Ended) {
      synchronized (this) {
        for (String step : tails.keySet().toArray(String[]::new)) {
          drain(step, true);
        }
      }
    }
    transitions.onEvent(e);
  }

  private void poll() {
    while (!closed) {
      synchronized (this) {
        for (String step : tails.keySet()) {
          read(tails.get(step));
        }
        out.flush();
      }
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException ie) {
        return;
      }
    }
  }

  private synchronized void drain(String step, boolean end) {
    Tail t = tails.get(step);
    if (t == null) {
      return;
    }
    read(t);
    if (end) {
      t.lines.finish();
      tails.remove(step);
    }
    out.flush();
  }

  private void read(Tail t) {
    // Most steps' logs hold nothing new (or do not exist: a quick command that printed nothing);
    // File.length answers 0 for a missing file instead of throwing, which at each step's end
    // would cost an exception with its stack trace, inside the run's event lock.
    long end = t.file.toFile().length();
    if (end <= t.offset) {
      return;
    }
    try (FileChannel ch = FileChannel.open(t.file, StandardOpenOption.READ)) {
      while (t.offset < end) {
        buffer.clear().limit((int) Math.min(buffer.capacity(), end - t.offset));
        int n = ch.read(buffer, t.offset);
        if (n <= 0) {
          break;
        }
        t.lines.feed(buffer.array(), 0, n);
        t.offset += n;
      }
    } catch (IOException e) {
      // not there yet, or gone: the log stays readable with `runctl logs`
    }
  }

  @Override
  public void close() {
    closed = true;
    poller.interrupt();
  }
}
