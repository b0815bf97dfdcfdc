package dev.runctl.targets.aws;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The one place where remote shell text is built. Every value that reaches a remote script goes
 * through {@link #quote}: POSIX single quotes, with each embedded single quote written as {@code
 * '\''}. Inside single quotes the shell interprets nothing ({@code $}, {@code ;}, backslashes,
 * newlines and unicode pass through as they are), and a value starting with a dash stays one word.
 */
public final class Shell {
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private Shell() {}

  /** {@code value} as one shell word. */
  public static String quote(String value) {
    return "'" + value.replace("'", "'\\''") + "'";
  }

  /** An argv list as shell words separated by spaces: each element stays one argument. */
  public static String words(List<String> argv) {
    return argv.stream().map(Shell::quote).collect(Collectors.joining(" "));
  }

  /** {@code NAME='value'} lines, one per entry; the names are checked to be shell identifiers. */
  public static String assignments(Map<String, String> values, boolean export) {
    StringBuilder out = new StringBuilder();
    values.forEach(
        (name, value) -> {
          out.append(export ? "export " : "").append(name(name)).append('=');
          out.append(quote(value)).append('\n');
        });
    return out.toString();
  }

  /** {@code name} when it is a valid shell variable name; otherwise an exception. */
  public static String name(String name) {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("not a shell variable name: " + quote(name));
    }
    return name;
  }
}
