package dev.runctl.engine.spi;

/**
 * Part of a file on a machine, as {@link Machine#read(String, long, long)} answers: the bytes from
 * {@code from} on, and the file's size when they were read. A size below the offset asked for says
 * that the file shrank or was replaced since the caller read up to that offset.
 */
public record FileSlice(long from, byte[] bytes, long size) {

  /** The offset just after the bytes read: where the next read goes on. */
  public long end() {
    return from + bytes.length;
  }

  /** The slice of {@code content} (a whole file held in memory) that such a read answers. */
  public static FileSlice of(byte[] content, long from, long maxBytes) {
    long start = Math.max(0, from);
    int a = (int) Math.min(start, content.length);
    int b = (int) Math.min(content.length, a + Math.min(Math.max(0, maxBytes), Integer.MAX_VALUE));
    return new FileSlice(start, java.util.Arrays.copyOfRange(content, a, b), content.length);
  }

  /** Whether the file is shorter than the offset asked for (truncated or replaced). */
  public boolean shrank() {
    return size < from;
  }
}
