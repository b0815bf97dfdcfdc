package dev.runctl.cli;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Bytes fed in chunks (a log read piece by piece, a process's output as it comes) become lines, in
 * memory bounded by {@link #MAX_LINE}: the bytes of a line that has not ended yet are held, and a
 * line longer than that is handed on in pieces of at most that many bytes, each cut where a UTF-8
 * character ends. A byte {@code \n} never occurs inside a UTF-8 character, so lines are cut on
 * bytes and decoded whole.
 */
final class LineSplitter {
  /** The most bytes held for one line. */
  static final int MAX_LINE = 1 << 20;

  private final Consumer<String> sink;
  private final int maxLine;
  private final ByteArrayOutputStream held = new ByteArrayOutputStream();

  LineSplitter(Consumer<String> sink) {
    this(sink, MAX_LINE);
  }

  LineSplitter(Consumer<String> sink, int maxLine) {
    this.sink = sink;
    this.maxLine = maxLine;
  }

  void feed(byte[] b, int off, int len) {
    int start = off;
    int end = off + len;
    for (int i = off; i < end; i++) {
      if (b[i] == '\n') {
        line(b, start, i - start);
        start = i + 1;
      } else if (held.size() + (i + 1 - start) >= maxLine) {
        held.write(b, start, i + 1 - start);
        start = i + 1;
        piece();
      }
    }
    held.write(b, start, end - start);
  }

  /** Hands on the held end of the last line, if it did not end with {@code \n}. */
  void finish() {
    if (held.size() > 0) {
      emit(held.toByteArray(), held.size());
      held.reset();
    }
  }

  private void line(byte[] b, int off, int len) {
    if (held.size() == 0) {
      sink.accept(new String(b, off, len, StandardCharsets.UTF_8));
      return;
    }
    held.write(b, off, len);
    emit(held.toByteArray(), held.size());
    held.reset();
  }

  /** A full piece of a long line, cut after its last whole UTF-8 character. */
  private void piece() {
    byte[] all = held.toByteArray();
    int cut = all.length;
    int back = 0;
    while (back < 3 && cut - back - 1 >= 0 && (all[cut - back - 1] & 0xC0) == 0x80) {
      back++;
    }
    if (cut - back - 1 >= 0 && (all[cut - back - 1] & 0xC0) == 0xC0) {
      int lead = all[cut - back - 1] & 0xFF;
      int need = lead >= 0xF0 ? 3 : lead >= 0xE0 ? 2 : 1;
      if (back < need) {
        cut = cut - back - 1;
      }
    }
    held.reset();
    emit(all, cut);
    held.write(all, cut, all.length - cut);
  }

  private void emit(byte[] b, int len) {
    sink.accept(new String(b, 0, len, StandardCharsets.UTF_8));
  }
}
