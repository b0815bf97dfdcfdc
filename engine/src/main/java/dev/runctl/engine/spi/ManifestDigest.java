package dev.runctl.engine.spi;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The SHA-256 of a manifest's text, fed field by field as UTF-8 through one reused buffer, so that
 * digesting ten thousand entries builds neither the text nor a string per line. The digest equals
 * that of the same text written out and hashed.
 */
public final class ManifestDigest {
  private final MessageDigest md;
  private final byte[] buf = new byte[1 << 15];
  private int n;

  public ManifestDigest() {
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  /** Appends {@code s} in UTF-8. */
  public ManifestDigest text(String s) {
    int len = s.length();
    if (len > buf.length - n) {
      flush();
    }
    if (len > buf.length) {
      md.update(s.getBytes(StandardCharsets.UTF_8));
      return this;
    }
    int start = n;
    for (int i = 0; i < len; i++) {
      char c = s.charAt(i);
      if (c >= 0x80) {
        n = start; // not ASCII: let the JDK encode it
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        flush();
        md.update(utf8);
        return this;
      }
      buf[n++] = (byte) c;
    }
    return this;
  }

  /** Appends one ASCII character. */
  public ManifestDigest ch(char c) {
    if (n == buf.length) {
      flush();
    }
    buf[n++] = (byte) c;
    return this;
  }

  /** Appends {@code v} in decimal. */
  public ManifestDigest number(long v) {
    return digits(v, 10);
  }

  /** Appends {@code v} in octal (a file mode). */
  public ManifestDigest octal(int v) {
    return digits(v & 0xffffffffL, 8);
  }

  private ManifestDigest digits(long v, int radix) {
    if (v < 0) {
      return text(Long.toString(v));
    }
    if (buf.length - n < 24) {
      flush();
    }
    int end = n + digitCount(v, radix);
    for (int i = end - 1; i >= n; i--) {
      buf[i] = (byte) ('0' + (int) (v % radix));
      v /= radix;
    }
    n = end;
    return this;
  }

  private static int digitCount(long v, int radix) {
    int count = 1;
    while (v >= radix) {
      v /= radix;
      count++;
    }
    return count;
  }

  /** The digest in lower-case hex; the instance is spent. */
  public String hex() {
    flush();
    return HexFormat.of().formatHex(md.digest());
  }

  private void flush() {
    md.update(buf, 0, n);
    n = 0;
  }
}
