package dev.runctl.targets.ssh;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The one place where text for the host's shell is built. Every value goes through {@link #quote}:
 * POSIX single quotes, each embedded single quote written as {@code '\''}. Inside single quotes the
 * shell interprets nothing ({@code $}, backquotes, backslashes, newlines and non-ASCII text pass as
 * they are), and a value starting with a dash stays one word.
 */
public final class Quote {
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private Quote() {}

  /** {@code value} as one shell word. */
  public static String quote(String value) {
    if (value.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("a shell word cannot hold a NUL character");
    }
    return "'" + value.replace("'", "'\\''") + "'";
  }

  /** An argv list as shell words separated by spaces: each element stays one argument. */
  public static String words(List<String> argv) {
    StringBuilder b = new StringBuilder();
    for (String a : argv) {
      if (b.length() > 0) {
        b.append(' ');
      }
      b.append(quote(a));
    }
    return b.toString();
  }

  /** {@code NAME='value'} lines (with {@code export} when asked); names must be identifiers. */
  public static String assignments(Map<String, String> values, boolean export) {
    StringBuilder out = new StringBuilder();
    values.forEach(
        (name, value) -> {
          if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a shell variable name: " + quote(name));
          }
          out.append(export ? "export " : "").append(name).append('=');
          out.append(quote(value)).append('\n');
        });
    return out.toString();
  }
}
