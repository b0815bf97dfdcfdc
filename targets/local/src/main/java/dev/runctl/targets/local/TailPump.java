package dev.runctl.targets.local;

import dev.runctl.engine.spi.StepLog;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Copies a process's output into a step log, keeping the last bytes for error messages. */
final class TailPump implements Runnable {
  private static final int TAIL_BYTES = 4096;

  private final InputStream in;
  private final StepLog log;
  private final byte[] ring = new byte[TAIL_BYTES];
  private long total;

  TailPump(InputStream in, StepLog log) {
    this.in = in;
    this.log = log;
  }

  /** A sink without a stream of its own: output arrives through {@link #accept}. */
  TailPump(StepLog log) {
    this(InputStream.nullInputStream(), log);
  }

  @Override
  public void run() {
    byte[] buf = new byte[8192];
    try (in) {
      int n;
      while ((n = in.read(buf)) > 0) {
        accept(buf, 0, n);
      }
    } catch (IOException e) {
      // the stream closes when the process is killed; nothing more to copy
    }
  }

  /** Copies {@code n} bytes of output into the log and the tail. */
  void accept(byte[] buf, int off, int n) {
    log.output(buf, off, n);
    synchronized (this) {
      for (int i = off; i < off + n; i++) {
        ring[(int) (total++ % TAIL_BYTES)] = buf[i];
      }
    }
  }

  synchronized String tail() {
    int len = (int) Math.min(total, TAIL_BYTES);
    byte[] out = new byte[len];
    for (int i = 0; i < len; i++) {
      out[i] = ring[(int) ((total - len + i) % TAIL_BYTES)];
    }
    return lastLines(new String(out, StandardCharsets.UTF_8), 20);
  }

  static String lastLines(String text, int lines) {
    String t = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
    int idx = t.length();
    for (int i = 0; i < lines; i++) {
      idx = t.lastIndexOf('\n', idx - 1);
      if (idx < 0) {
        return t;
      }
    }
    return t.substring(idx + 1);
  }
}
