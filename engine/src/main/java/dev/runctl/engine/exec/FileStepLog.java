package dev.runctl.engine.exec;

import dev.runctl.engine.IoProblems;
import dev.runctl.engine.spi.ErrorClass;
import dev.runctl.engine.spi.RunClock;
import dev.runctl.engine.spi.StepException;
import dev.runctl.engine.spi.StepLog;
import java.io.ByteArrayOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code logs/<step>.log}: runctl's narration as {@code [time] text} lines and command output
 * passed through. Output is held until a line ends (or 8 KiB pile up) so that a secret split across
 * two reads is still masked. The engine's own narration ({@link #narrate}) is held back until the
 * step or its command says something, and dropped when an attempt succeeds in silence ({@link
 * #discardQuietNarration}): a step that says nothing costs no file, which keeps thousands of tiny
 * steps cheap.
 */
final class FileStepLog implements StepLog, AutoCloseable {
  private static final int MAX_PENDING = 8192;
  private final Path file;
  private final SecretMasker masker;
  private final RunClock clock;
  private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
  private OutputStream out;

  /** Held-back narration, formatted only when written: most quiet steps drop it unformatted. */
  private final List<Narration> narration = new ArrayList<>(2);

  private record Narration(Instant at, String text) {}

  FileStepLog(Path file, SecretMasker masker, RunClock clock) {
    this.file = file;
    this.masker = masker;
    this.clock = clock;
  }

  @Override
  public synchronized void line(String text) {
    flushPending();
    write("[" + clock.now() + "] " + masker.mask(text) + "\n");
  }

  /** The engine's narration: written once the step says something, else maybe dropped. */
  synchronized void narrate(String text) {
    if (out != null) {
      line(text);
    } else {
      narration.add(new Narration(clock.now(), text));
    }
  }

  /** Drops held-back narration when nothing else was written: a quiet success needs no file. */
  synchronized void discardQuietNarration() {
    if (out == null) {
      narration.clear();
    }
  }

  @Override
  public synchronized void output(byte[] bytes, int offset, int length) {
    if (masker.isEmpty()) {
      writeRaw(bytes, offset, length);
      return;
    }
    for (int i = offset; i < offset + length; i++) {
      pending.write(bytes[i]);
      if (bytes[i] == '\n' || pending.size() >= MAX_PENDING) {
        flushPending();
      }
    }
  }

  @Override
  public Path file() {
    return file;
  }

  private void flushPending() {
    if (pending.size() > 0) {
      write(masker.mask(pending.toString(StandardCharsets.UTF_8)));
      pending.reset();
    }
  }

  private void write(String text) {
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    writeRaw(b, 0, b.length);
  }

  private void writeRaw(byte[] b, int off, int len) {
    try {
      if (out == null) {
        out = new FileOutputStream(file.toFile(), true);
        if (!narration.isEmpty()) {
          StringBuilder held = new StringBuilder();
          for (Narration n : narration) {
            held.append('[').append(n.at()).append("] ").append(masker.mask(n.text())).append('\n');
          }
          narration.clear();
          out.write(held.toString().getBytes(StandardCharsets.UTF_8));
        }
      }
      out.write(b, off, len);
    } catch (IOException e) {
      throw cannotWrite(e);
    }
  }

  /**
   * Why the log cannot be written, with the system's reason; a full disk is not retried (the next
   * attempt would meet it again) and says what to free.
   */
  private StepException cannotWrite(IOException e) {
    String message = "cannot write the step log " + file + ": " + e.getMessage();
    return IoProblems.of(e, Optional.of(file))
        .map(k -> new StepException(ErrorClass.ERROR, !k.lasting(), message, k.hint(), e))
        .orElseGet(
            () ->
                new StepException(
                    ErrorClass.ERROR,
                    true,
                    message,
                    "check that the state folder " + file.getParent() + " is writable",
                    e));
  }

  @Override
  public synchronized void close() {
    flushPending();
    if (!narration.isEmpty()) {
      writeRaw(new byte[0], 0, 0);
    }
    if (out != null) {
      try {
        out.close();
      } catch (IOException e) {
        // the log is best effort once the step has ended
      }
      out = null;
    }
  }
}
