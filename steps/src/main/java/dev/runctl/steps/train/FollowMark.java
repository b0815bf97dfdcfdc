package dev.runctl.steps.train;

import dev.runctl.engine.state.AtomicFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How far into a training process's output the step log has copied, kept beside the step log
 * ({@code <step>.follow}: handle and offset), so that a runctl that reattaches after a crash goes
 * on from there instead of copying the whole output into the log a second time. Written without
 * fsync after each copy: a crash costs at most a few repeated lines, never a lost one.
 */
public final class FollowMark {
  private final Path file;
  private final String handle;

  FollowMark(Path stepLog, String handle) {
    String name = stepLog.getFileName().toString().replaceFirst("\\.log$", "");
    this.file = stepLog.resolveSibling(name + ".follow");
    this.handle = handle;
  }

  /**
   * How far into the output of the training {@code handle} the step log {@code stepLog} has copied:
   * 0 when no mark says (or the mark is for another process).
   */
  public static long copied(Path stepLog, String handle) {
    return new FollowMark(stepLog, handle).read();
  }

  /** The offset recorded for this handle; 0 when none is (or the record is for another one). */
  long read() {
    try {
      String[] f = Files.readString(file, StandardCharsets.UTF_8).trim().split(" ");
      return f.length == 2 && f[0].equals(handle) ? Math.max(0, Long.parseLong(f[1])) : 0;
    } catch (IOException | NumberFormatException e) {
      return 0;
    }
  }

  void write(long offset) {
    try {
      AtomicFile.write(file, (handle + " " + offset + "\n").getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      // only costs repeated lines after a crash; the log itself is intact
    }
  }
}
