package dev.runctl.engine.spi;

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
}
