package dev.runctl.engine.manifest;

import dev.runctl.engine.spi.ManifestEntry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A manifest's text built field by field as UTF-8 bytes, either into memory ({@link #text()}, to be
 * written as a file at once) or straight into a SHA-256 ({@link #digest()}), through one buffer:
 * ten thousand entries build neither a string per line nor the whole text as a string. A digest
 * equals that of the same text written out and hashed.
 */
public final class ManifestBytes {
  private static final int CHUNK = 1 << 15;
  private final MessageDigest md; // null: the bytes are kept
  private byte[] buf;
  private int n;

  private ManifestBytes(MessageDigest md, int capacity) {
    this.md = md;
    this.buf = new byte[capacity];
  }

  /** Bytes fed into SHA-256 as they come; {@link #hex()} ends it. */
  public static ManifestBytes digest() {
    try {
      return new ManifestBytes(MessageDigest.getInstance("SHA-256"), CHUNK);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  /** Bytes kept in memory for {@link #bytes()}; {@code lines} sizes the buffer. */
  public static ManifestBytes text(int lines) {
    return new ManifestBytes(null, Math.max(256, lines * 120));
  }

  /**
   * Appends one manifest line for {@code e}: {@code sha256 TAB mode(octal) TAB size TAB mtime TAB
   * path} (path escaped), as {@link ManifestText#entries} reads it.
   */
  public ManifestBytes entry(ManifestEntry e) {
    return text(e.sha256())
        .ch('\t')
        .octal(e.mode())
        .ch('\t')
        .number(e.size())
        .ch('\t')
        .number(e.modifiedMillis())
        .ch('\t')
        .text(ManifestText.escape(e.path()))
        .ch('\n');
  }

  /** Appends {@code s} in UTF-8. */
  public ManifestBytes text(String s) {
    int len = s.length();
    room(len);
    int start = n;
    for (int i = 0; i < len; i++) {
      char c = s.charAt(i);
      if (c >= 0x80) {
        n = start; // not ASCII: let the JDK encode it
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        room(utf8.length);
        append(utf8);
        return this;
      }
      buf[n++] = (byte) c;
    }
    return this;
  }

  /** Appends one ASCII character. */
  public ManifestBytes ch(char c) {
    room(1);
    buf[n++] = (byte) c;
    return this;
  }

  /** Appends {@code v} in decimal. */
  public ManifestBytes number(long v) {
    return digits(v, 10);
  }

  /** Appends {@code v} in octal (a file mode). */
  public ManifestBytes octal(int v) {
    return digits(v & 0xffffffffL, 8);
  }

  /** The digest in lower-case hex; the instance is spent. */
  public String hex() {
    if (md == null) {
      throw new IllegalStateException("not a digest");
    }
    md.update(buf, 0, n);
    n = 0;
    return HexFormat.of().formatHex(md.digest());
  }

  /** The text's bytes so far. */
  public byte[] bytes() {
    if (md != null) {
      throw new IllegalStateException("a digest keeps no text");
    }
    return Arrays.copyOf(buf, n);
  }

  private ManifestBytes digits(long v, int radix) {
    if (v < 0) {
      return text(Long.toString(v));
    }
    int count = 1;
    for (long rest = v; rest >= radix; rest /= radix) {
      count++;
    }
    room(count);
    for (int i = n + count - 1; i >= n; i--) {
      buf[i] = (byte) ('0' + (int) (v % radix));
      v /= radix;
    }
    n += count;
    return this;
  }

  /** Makes room for {@code len} more bytes: a digest takes the buffer in, a text grows it. */
  private void room(int len) {
    if (len <= buf.length - n) {
      return;
    }
    if (md != null) {
      md.update(buf, 0, n);
      n = 0;
      if (len > buf.length) {
        buf = new byte[len];
      }
    } else {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, n + len));
    }
  }

  private void append(byte[] bytes) {
    System.arraycopy(bytes, 0, buf, n, bytes.length);
    n += bytes.length;
  }
}
