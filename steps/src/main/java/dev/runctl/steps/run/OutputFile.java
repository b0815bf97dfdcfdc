package dev.runctl.steps.run;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/** The {@code $RUNCTL_OUTPUT} file: {@code key=value} lines; the last value of a key wins. */
final class OutputFile {
  private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_.-]+");

  private OutputFile() {}

  static Map<String, String> parse(byte[] content, Consumer<String> warn) {
    Map<String, String> out = new LinkedHashMap<>();
    String[] lines = new String(content, StandardCharsets.UTF_8).split("\r?\n");
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int eq = line.indexOf('=');
      String key = eq < 0 ? "" : line.substring(0, eq).trim();
      if (!KEY.matcher(key).matches()) {
        warn.accept(
            "line "
                + (i + 1)
                + " of $RUNCTL_OUTPUT is not key=value with a key of letters, digits, _ . -;"
                + " it was ignored");
        continue;
      }
      out.put(key, line.substring(eq + 1));
    }
    return out;
  }
}
