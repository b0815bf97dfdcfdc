package dev.runctl.engine.spec;

import dev.runctl.engine.spi.Diagnostic;
import dev.runctl.engine.spi.Position;
import java.util.Optional;

/**
 * A cheap scan for nesting too deep for a recursive parser, run before SnakeYAML sees the text (its
 * scanner and composer recurse per level and end in a StackOverflowError at a few thousand). It
 * counts open flow brackets outside quotes and comments, and the width of each line's indentation
 * plus leading {@code "- "} markers, which bounds block nesting. Both limits sit far above anything
 * a real spec needs.
 */
final class NestingGuard {
  static final int MAX_FLOW_DEPTH = 100;
  static final int MAX_INDENT = 400;

  private NestingGuard() {}

  /** The first place where the text nests too deep, with the message to report. */
  static Optional<Diagnostic> check(String text, String display) {
    int depth = 0;
    int line = 1;
    int col = 1;
    boolean lineStart = true;
    int indent = 0;
    char quote = 0;
    boolean comment = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\n') {
        line++;
        col = 1;
        lineStart = true;
        indent = 0;
        comment = false;
        if (quote == '\'') {
          quote = 0;
        }
        continue;
      }
      if (lineStart) {
        if (c == ' ' || c == '\t' || (c == '-' && next(text, i) == ' ')) {
          indent++;
        } else {
          lineStart = false;
        }
        if (indent > MAX_INDENT) {
          return Optional.of(
              tooDeep(display, line, col, "indentation is deeper than " + MAX_INDENT));
        }
      }
      if (comment) {
        col++;
        continue;
      }
      if (quote != 0) {
        if (c == quote && (quote != '"' || text.charAt(i - 1) != '\\')) {
          quote = 0;
        }
      } else if (c == '"' || c == '\'') {
        quote = (i == 0 || !Character.isLetterOrDigit(text.charAt(i - 1))) ? c : 0;
      } else if (c == '#' && (i == 0 || Character.isWhitespace(text.charAt(i - 1)))) {
        comment = true;
      } else if (c == '[' || c == '{') {
        depth++;
        if (depth > MAX_FLOW_DEPTH) {
          return Optional.of(
              tooDeep(
                  display, line, col, "brackets nest deeper than " + MAX_FLOW_DEPTH + " levels"));
        }
      } else if ((c == ']' || c == '}') && depth > 0) {
        depth--;
      }
      col++;
    }
    return Optional.empty();
  }

  private static char next(String text, int i) {
    return i + 1 < text.length() ? text.charAt(i + 1) : ' ';
  }

  private static Diagnostic tooDeep(String display, int line, int col, String what) {
    return Diagnostic.error(
        new Position(display, line, col),
        "the spec nests too deep: " + what,
        "a job spec needs only a few levels; check for generated or corrupted content");
  }
}
