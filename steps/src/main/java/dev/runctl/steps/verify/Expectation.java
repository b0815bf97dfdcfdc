package dev.runctl.steps.verify;

import java.math.BigDecimal;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One {@code expect} entry: a metric's dotted key, a comparison and the number it must meet. */
record Expectation(String key, String operator, BigDecimal value) {
  private static final Pattern FORM =
      Pattern.compile(
          "\\s*(>=|<=|==|>|<)?\\s*([-+]?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][-+]?\\d+)?)\\s*");

  static Optional<Expectation> parse(String key, String text) {
    Matcher m = FORM.matcher(text);
    if (!m.matches()) {
      return Optional.empty();
    }
    String op = m.group(1) == null ? "==" : m.group(1);
    return Optional.of(new Expectation(key, op, new BigDecimal(m.group(2))));
  }

  boolean holds(BigDecimal found) {
    int c = found.compareTo(value);
    return switch (operator) {
      case ">=" -> c >= 0;
      case ">" -> c > 0;
      case "<=" -> c <= 0;
      case "<" -> c < 0;
      default -> c == 0;
    };
  }

  String text() {
    return operator + " " + value.toPlainString();
  }
}
