package dev.runctl.engine.spi;

import java.util.Optional;

/** One problem in a spec: where, what, and (when known) how to fix it. */
public record Diagnostic(Severity severity, Position position, String message, String hint) {

  public static Diagnostic error(Position position, String message, String hint) {
    return new Diagnostic(Severity.ERROR, position, message, hint);
  }

  public static Diagnostic warning(Position position, String message, String hint) {
    return new Diagnostic(Severity.WARNING, position, message, hint);
  }

  public Optional<String> hintText() {
    return Optional.ofNullable(hint);
  }

  /** {@code FILE:LINE:COL: error: message} followed, when there is one, by an indented hint. */
  public String render() {
    String head = position + ": " + severity.label() + ": " + message;
    return hint == null ? head : head + "\n  hint: " + hint;
  }
}
