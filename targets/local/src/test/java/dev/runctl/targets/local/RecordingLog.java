package dev.runctl.targets.local;

import dev.runctl.engine.spi.StepLog;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** A step log that keeps what it was given, for assertions. */
final class RecordingLog implements StepLog {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  @Override
  public synchronized void line(String text) {
    out.writeBytes((text + "\n").getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public synchronized void output(byte[] bytes, int offset, int length) {
    out.write(bytes, offset, length);
  }

  @Override
  public Path file() {
    return Path.of("/dev/null");
  }

  synchronized String text() {
    return out.toString(StandardCharsets.UTF_8);
  }
}
