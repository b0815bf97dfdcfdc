package dev.runctl.cli;

import java.util.Map;
import picocli.CommandLine.Help.Ansi.Style;

/**
 * How a line reads at a glance on a terminal: green for success, red for failure, yellow for
 * warnings. Colour is on only when stdout is a terminal, {@code NO_COLOR} is unset or empty
 * (no-color.org) and {@code --no-color} is not given; the escape codes are picocli's.
 */
enum Tone {
  PLAIN(null),
  SUCCESS(Style.fg_green),
  FAILURE(Style.fg_red),
  WARNING(Style.fg_yellow);

  private final Style style;

  Tone(Style style) {
    this.style = style;
  }

  /**
   * {@code text} with its first line in this tone's colour when {@code colour}; the lines after it
   * (a hint, the last output of a step) stay plain.
   */
  String paint(String text, boolean colour) {
    if (!colour || style == null || text.isEmpty()) {
      return text;
    }
    int nl = text.indexOf('\n');
    String first = nl < 0 ? text : text.substring(0, nl);
    return style.on() + first + style.off() + (nl < 0 ? "" : text.substring(nl));
  }

  /** Whether to colour: {@code --no-color} not given, NO_COLOR unset or empty, a terminal. */
  static boolean wanted(boolean noColorFlag, Map<String, String> env, boolean terminal) {
    String noColor = env.get("NO_COLOR");
    return !noColorFlag && (noColor == null || noColor.isEmpty()) && terminal;
  }

  /** {@link #wanted} for this process: its environment, and whether stdout is a terminal. */
  static boolean wanted(boolean noColorFlag) {
    return wanted(noColorFlag, System.getenv(), System.console() != null);
  }

  /** The tone of a run or step ending with the status {@code label} ("succeeded", "failed"...). */
  static Tone ofStatus(String label) {
    return switch (label) {
      case "succeeded" -> SUCCESS;
      case "failed" -> FAILURE;
      case "cancelled" -> WARNING;
      default -> PLAIN;
    };
  }
}
