package dev.runctl.cli.report;

/** Text made safe for HTML (and XML: the report is well-formed XHTML) content and attributes. */
final class Html {
  private Html() {}

  static String esc(String s) {
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> {
          if (c < 0x20 && c != '\n' && c != '\t') {
            b.append('\uFFFD'); // not allowed in XML
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.toString();
  }

  /** A number for SVG coordinates: one decimal. */
  static String px(double v) {
    return String.valueOf(Math.round(v * 10) / 10.0);
  }
}
