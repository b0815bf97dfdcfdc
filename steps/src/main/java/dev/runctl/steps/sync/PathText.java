package dev.runctl.steps.sync;

/** Paths in one-line-per-file manifests: backslash, newline and tab escaped. */
final class PathText {
  private PathText() {}

  static String escape(String path) {
    if (path.indexOf('\\') < 0 && path.indexOf('\n') < 0 && path.indexOf('\t') < 0) {
      return path;
    }
    return path.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t");
  }

  static String unescape(String text) {
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
