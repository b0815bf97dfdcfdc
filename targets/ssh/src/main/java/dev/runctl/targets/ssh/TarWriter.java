package dev.runctl.targets.ssh;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Writes a POSIX tar stream of regular files (ustar, with a pax header for a path that does not fit
 * ustar's 100 ASCII bytes): what {@code tar -x} on the host reads. Modes are kept, mtimes to the
 * second.
 */
final class TarWriter {
  private static final int BLOCK = 512;
  private static final long MAX_USTAR_SIZE = 077777777777L;
  private final OutputStream out;
  private final byte[] header = new byte[BLOCK];
  private final byte[] buf = new byte[1 << 16];

  TarWriter(OutputStream out) {
    this.out = out;
  }

  /** Appends the file {@code source} as {@code path}; its size must be {@code size}. */
  void file(String path, Path source, long size, int mode, long mtimeSeconds) throws IOException {
    byte[] name = path.getBytes(StandardCharsets.UTF_8);
    boolean ascii = name.length == path.length();
    if (name.length > 100 || !ascii || size > MAX_USTAR_SIZE) {
      pax(path, size);
      name = Arrays.copyOf(name, Math.min(name.length, 100));
    }
    header(name, mode, Math.min(size, MAX_USTAR_SIZE), mtimeSeconds, (byte) '0');
    long left = size;
    try (InputStream in = Files.newInputStream(source)) {
      while (left > 0) {
        int n = in.read(buf, 0, (int) Math.min(buf.length, left));
        if (n < 0) {
          throw new IOException(source + " became shorter while it was sent; run again");
        }
        out.write(buf, 0, n);
        left -= n;
      }
    }
    pad(size);
  }

  /** Two zero blocks: the end of the archive. */
  void finish() throws IOException {
    out.write(new byte[BLOCK * 2]);
    out.flush();
  }

  private void pax(String path, long size) throws IOException {
    byte[] record = concat(paxRecord("path", path), paxRecord("size", Long.toString(size)));
    header(
        "././@PaxHeader".getBytes(StandardCharsets.US_ASCII), 0644, record.length, 0, (byte) 'x');
    out.write(record);
    pad(record.length);
  }

  private void header(byte[] name, int mode, long size, long mtime, byte type) throws IOException {
    Arrays.fill(header, (byte) 0);
    System.arraycopy(name, 0, header, 0, Math.min(100, name.length));
    octal(100, 8, mode & 07777);
    octal(108, 8, 0);
    octal(116, 8, 0);
    octal(124, 12, size);
    octal(136, 12, Math.max(0, mtime));
    header[156] = type;
    byte[] magic = "ustar\u000000".getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(magic, 0, header, 257, magic.length);
    Arrays.fill(header, 148, 156, (byte) ' ');
    long sum = 0;
    for (byte b : header) {
      sum += b & 0xff;
    }
    octal(148, 7, sum);
    header[155] = ' ';
    out.write(header);
  }

  /** {@code value} in octal, zero-padded, NUL-terminated in a field of {@code len} bytes. */
  private void octal(int at, int len, long value) {
    String s = Long.toOctalString(value);
    if (s.length() > len - 1) {
      throw new IllegalArgumentException("too large for a tar header: " + value);
    }
    int pad = len - 1 - s.length();
    for (int i = 0; i < pad; i++) {
      header[at + i] = '0';
    }
    for (int i = 0; i < s.length(); i++) {
      header[at + pad + i] = (byte) s.charAt(i);
    }
    header[at + len - 1] = 0;
  }

  private void pad(long size) throws IOException {
    int rest = (int) (size % BLOCK);
    if (rest != 0) {
      out.write(zero, 0, BLOCK - rest);
    }
  }

  private final byte[] zero = new byte[BLOCK];

  /** One pax record: {@code "<length> key=value\n"}, the length counting itself. */
  static byte[] paxRecord(String key, String value) {
    int len = (" " + key + "=" + value + "\n").getBytes(StandardCharsets.UTF_8).length;
    int total = len + Integer.toString(len).length();
    if (Integer.toString(total).length() != Integer.toString(len).length()) {
      total++;
    }
    return (total + " " + key + "=" + value + "\n").getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] c = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }
}
