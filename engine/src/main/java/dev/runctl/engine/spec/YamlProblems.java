package dev.runctl.engine.spec;

import dev.runctl.engine.spi.Diagnostic;
import dev.runctl.engine.spi.Position;
import java.util.function.Function;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;

/**
 * SnakeYAML's syntax errors in words a spec author knows, with the fix where it is a common one.
 */
final class YamlProblems {
  private YamlProblems() {}

  static Diagnostic diagnostic(
      MarkedYamlEngineException e, Function<Mark, Position> position, Position start) {
    Position at = e.getProblemMark().map(position).orElse(start);
    String problem = String.valueOf(e.getProblem());
    String context =
        e.getContext() == null || e.getContext().isBlank()
            ? ""
            : " ("
                + e.getContext()
                + e.getContextMark()
                    .map(m -> " that starts at line " + (m.getLine() + 1))
                    .orElse("")
                + ")";
    if (problem.contains("expected <block end>")) {
      return Diagnostic.error(
          at,
          "YAML syntax error: this line's indentation does not match the lines before it" + context,
          "indent the keys of one mapping by the same number of spaces");
    }
    if (problem.contains("mapping values are not allowed")) {
      return Diagnostic.error(
          at,
          "YAML syntax error: a ':' where no key can start" + context,
          "quote a value that contains ': ', or fix the indentation of this key");
    }
    if (problem.contains("'\\t'") || problem.contains("\\t(TAB)")) {
      return Diagnostic.error(
          at, "YAML syntax error: a tab character" + context, "indent YAML with spaces, not tabs");
    }
    if (problem.contains("expected ',' or '}'") || problem.contains("expected ',' or ']'")) {
      return Diagnostic.error(
          at,
          "YAML syntax error: " + problem + context,
          "close the bracket, or quote a value that contains ',', '[' or '{'");
    }
    return Diagnostic.error(
        at,
        "YAML syntax error: " + problem + context,
        "check the indentation and quoting around this place");
  }
}
