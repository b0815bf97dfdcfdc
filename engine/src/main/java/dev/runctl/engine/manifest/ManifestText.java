package dev.runctl.engine.manifest;

import dev.runctl.engine.spi.ManifestEntry;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Paths in one-line-per-file, tab-separated manifests (the sync step's cache, the local target's
 * workspace manifest): backslash, newline and tab escaped, so any file name fits on one line.
 */
public final class ManifestText {
  private ManifestText() {}

  public static String escape(String path) {
    if (path.indexOf('\\') < 0 && path.indexOf('\n') < 0 && path.indexOf('\t') < 0) {
      return path;
    }
    return path.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t");
  }

  public static String unescape(String text) {
    if (text.indexOf('\\') < 0) {
      return text;
    }
    StringBuilder b = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\\' && i + 1 < text.length()) {
        char n = text.charAt(++i);
        b.append(n == 'n' ? '\n' : n == 't' ? '\t' : n);
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }

  /**
   * One line of a manifest being read: its tab-separated fields, the last one running to the end of
   * the line. Valid only during the call that receives it.
   */
  public static final class Line {
    private final byte[] data;
    private final int[] from;
    private final int[] to;

    private Line(byte[] data, int fields) {
      this.data = data;
      this.from = new int[fields];
      this.to = new int[fields];
    }

    /** Field {@code i} as an escaped path: decoded from UTF-8 and unescaped. */
    public String path(int i) {
      return unescape(new String(data, from[i], to[i] - from[i], StandardCharsets.UTF_8));
    }

    /** Field {@code i} as ASCII text (a hash). */
    public String ascii(int i) {
      return new String(data, from[i], to[i] - from[i], StandardCharsets.ISO_8859_1);
    }

    /** Field {@code i} as a non-negative number in {@code radix}, or -1 when it is not one. */
    public long number(int i, int radix) {
      int len = to[i] - from[i];
      if (len == 0 || len > 18) {
        return -1;
      }
      long v = 0;
      for (int k = from[i]; k < to[i]; k++) {
        int d = data[k] - '0';
        if (d < 0 || d >= radix) {
          return -1;
        }
        v = v * radix + d;
      }
      return v;
    }
  }

  /**
   * Hands {@code each} every line of {@code data} split into {@code fields} fields, skipping blank
   * lines and comments ({@code #}); stops and answers false at a line with fewer fields, or with an
   * empty first field (a damaged manifest).
   */
  static boolean forEachLine(byte[] data, int fields, Consumer<Line> each) {
    Line line = new Line(data, fields);
    int i = 0;
    while (i < data.length) {
      int end = i;
      while (end < data.length && data[end] != '\n') {
        end++;
      }
      if (end > i && data[i] != '#') {
        int start = i;
        for (int f = 0; f < fields; f++) {
          int stop = start;
          if (f < fields - 1) {
            while (stop < end && data[stop] != '\t') {
              stop++;
            }
            if (stop == end) {
              return false;
            }
          } else {
            stop = end;
          }
          line.from[f] = start;
          line.to[f] = stop;
          start = stop + 1;
        }
        if (line.to[0] == line.from[0]) {
          return false;
        }
        each.accept(line);
      }
      i = end + 1;
    }
    return true;
  }

  /**
   * The entries of manifest lines as {@link ManifestBytes#entry} writes them ({@code sha256 TAB
   * mode(octal) TAB size TAB mtime TAB path}), by path; empty when any line is damaged: a manifest
   * that is not whole is not to be trusted at all. Comment lines ({@code #}) are skipped.
   */
  public static Map<String, ManifestEntry> entries(byte[] data) {
    Map<String, ManifestEntry> out = new HashMap<>(Math.max(16, data.length / 80));
    boolean[] damaged = {false};
    boolean whole =
        forEachLine(
            data,
            5,
            line -> {
              long mode = line.number(1, 8);
              long size = line.number(2, 10);
              long mtime = line.number(3, 10);
              if (mode < 0 || size < 0 || mtime < 0) {
                damaged[0] = true;
              } else {
                String path = line.path(4);
                out.put(path, new ManifestEntry(path, size, mtime, (int) mode, line.ascii(0)));
              }
            });
    return whole && !damaged[0] ? out : new HashMap<>();
  }
}
