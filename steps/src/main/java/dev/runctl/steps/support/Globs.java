package dev.runctl.steps.support;

import java.util.regex.Pattern;

/**
 * Glob patterns as gitignore and verify's {@code files} write them: {@code *} and {@code ?} stay
 * within one path segment, {@code **} crosses segments ({@code a/**}{@code /b}, {@code **}{@code
 * /x}, {@code x/**}), {@code [abc]} and {@code [!abc]} are classes, a backslash escapes.
 */
public final class Globs {
  private Globs() {}

  public static Pattern compile(String glob) {
    return Pattern.compile(toRegex(glob));
  }

  /** Whether {@code glob} has no glob syntax, so that it matches only itself. */
  public static boolean isLiteral(String glob) {
    for (int i = 0; i < glob.length(); i++) {
      if ("*?[\\".indexOf(glob.charAt(i)) >= 0) {
        return false;
      }
    }
    return true;
  }

  public static String toRegex(String glob) {
    StringBuilder re = new StringBuilder();
    int n = glob.length();
    for (int i = 0; i < n; i++) {
      char c = glob.charAt(i);
      if (c == '*') {
        boolean doubleStar = i + 1 < n && glob.charAt(i + 1) == '*';
        if (doubleStar) {
          boolean atStart = i == 0 || glob.charAt(i - 1) == '/';
          boolean slashAfter = i + 2 < n && glob.charAt(i + 2) == '/';
          if (atStart && slashAfter) {
            re.append("(?:.*/)?");
            i += 2;
          } else {
            re.append(".*");
            i += 1;
          }
        } else {
          re.append("[^/]*");
        }
      } else if (c == '?') {
        re.append("[^/]");
      } else if (c == '[') {
        int end = glob.indexOf(']', i + 2);
        if (end < 0) {
          re.append("\\[");
        } else {
          String body = glob.substring(i + 1, end);
          if (body.startsWith("!")) {
            body = "^" + body.substring(1);
          }
          re.append('[').append(body.replace("\\", "\\\\")).append(']');
          i = end;
        }
      } else if (c == '\\' && i + 1 < n) {
        re.append(Pattern.quote(String.valueOf(glob.charAt(++i))));
      } else if ("().+^$|{}".indexOf(c) >= 0) {
        re.append('\\').append(c);
      } else {
        re.append(c);
      }
    }
    return re.toString();
  }

  public static boolean hasWildcard(String text) {
    return text.indexOf('*') >= 0 || text.indexOf('?') >= 0 || text.indexOf('[') >= 0;
  }
}
