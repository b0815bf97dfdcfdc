package dev.runctl.engine.testing;

import dev.runctl.engine.spi.StepLog;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A step log for tests: appended to a real file (as the engine's step log is, so that tailing and
 * offsets behave the same) and kept in memory for assertions: {@link #lines()} what the step said,
 * {@link #output()} what its commands wrote, {@link #text()} both in order.
 */
public final class RecordingLog implements StepLog {
  private final Path file;
  private final StringBuilder lines = new StringBuilder();
  private final ByteArrayOutputStream output = new ByteArrayOutputStream();
  private final ByteArrayOutputStream all = new ByteArrayOutputStream();

  public RecordingLog(Path file) {
    this.file = file;
  }

  @Override
  public synchronized void line(String text) {
    lines.append(text).append('\n');
    if (System.getenv("RUNCTL_TEST_ECHO") != null) {
      System.out.println(java.time.LocalTime.now() + " " + text);
    }
    append((text + "\n").getBytes(StandardCharsets.UTF_8), 0, text.length() + 1);
  }

  @Override
  public synchronized void output(byte[] bytes, int offset, int length) {
    output.write(bytes, offset, length);
    append(bytes, offset, length);
  }

  private void append(byte[] bytes, int offset, int length) {
    all.write(bytes, offset, length);
    try {
      Files.createDirectories(file.getParent());
      Files.write(
          file,
          java.util.Arrays.copyOfRange(bytes, offset, offset + length),
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public Path file() {
    return file;
  }

  public synchronized String lines() {
    return lines.toString();
  }

  public synchronized String output() {
    return output.toString(StandardCharsets.UTF_8);
  }

  public synchronized String text() {
    return all.toString(StandardCharsets.UTF_8);
  }
}
