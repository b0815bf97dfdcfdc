package dev.runctl.engine.spec;

import java.util.List;

/** Plain messages for values that do not match one of the schema's patterns. */
final class PatternMessages {
  private PatternMessages() {}

  static Diagnostic diagnostic(List<String> schemaPath, SchemaDiagnostics.Located at, String what) {
    String value =
        at.node() instanceof ConfigNode.Scalar s ? s.value() : SchemaDiagnostics.found(at.node());
    Position p = at.node().position();
    if (schemaPath.contains("duration")) {
      return Diagnostic.error(p, what + ": '" + value + "' is not a duration", Durations.HINT);
    }
    if (schemaPath.contains("jobName")) {
      return Diagnostic.error(
          p,
          "job name '" + value + "' is not valid",
          "use lower-case letters, digits and '-', starting with a letter or digit, at most 63"
              + " characters, e.g. "
              + suggestName(value, "[^a-z0-9-]+", "-"));
    }
    if (schemaPath.contains("stepId")) {
      return Diagnostic.error(
          p,
          "step id '" + value + "' is not valid",
          "use lower-case letters, digits, '_' and '-', starting with a letter, at most 63"
              + " characters, e.g. "
              + suggestName(value, "[^a-z0-9_-]+", "_"));
    }
    if (schemaPath.contains("envName")) {
      return Diagnostic.error(
          p,
          "'" + value + "' is not a valid environment variable name",
          "use letters, digits and '_', not starting with a digit");
    }
    if (schemaPath.contains("expect")) {
      return Diagnostic.error(
          p,
          "expectation '" + value + "' is not a comparison with a number",
          "write an operator and a number, e.g. \">= 0.90\" (operators: >=, >, <=, <, ==)");
    }
    if (schemaPath.contains("region")) {
      return Diagnostic.error(p, "'" + value + "' is not an AWS region", "e.g. region: us-east-1");
    }
    return Diagnostic.error(p, what + ": '" + value + "' is not in the expected form", null);
  }

  /** A valid spelling close to {@code value}, for the hint. */
  private static String suggestName(String value, String invalid, String separator) {
    String s = value.toLowerCase(java.util.Locale.ROOT).replaceAll(invalid, separator);
    s = s.replaceAll("^[^a-z]+", "");
    if (s.isEmpty()) {
      s = "train";
    }
    return s.length() > 63 ? s.substring(0, 63) : s;
  }
}
