package dev.runctl.cli.report;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** The last lines of a file, read from its end (a step log can be large). */
final class Tail {
  private static final int MAX_BYTES = 16 * 1024;

  private Tail() {}

  static String lines(Path file, int n) {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
      long len = f.length();
      int size = (int) Math.min(len, MAX_BYTES);
      byte[] buf = new byte[size];
      f.seek(len - size);
      f.readFully(buf);
      String text = new String(buf, StandardCharsets.UTF_8).stripTrailing();
      String[] lines = text.split("\n", -1);
      int from = Math.max(size < len ? 1 : 0, lines.length - n);
      return String.join("\n", java.util.Arrays.copyOfRange(lines, from, lines.length));
    } catch (IOException e) {
      return "(could not read " + file + ": " + e.getMessage() + ")";
    }
  }
}
