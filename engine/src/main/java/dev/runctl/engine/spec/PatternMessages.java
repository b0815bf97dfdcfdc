package dev.runctl.engine.spec;

import dev.runctl.engine.spi.ConfigNode;
import dev.runctl.engine.spi.Diagnostic;
import dev.runctl.engine.spi.Durations;
import dev.runctl.engine.spi.Position;
import dev.runctl.engine.spi.SettingsSchema;
import java.util.List;
import java.util.Optional;

/** Plain messages for values that do not match one of the schema's patterns. */
final class PatternMessages {
  private PatternMessages() {}

  static Diagnostic diagnostic(
      List<String> schemaPath,
      Optional<SchemaComposer.Owner> owner,
      SchemaDiagnostics.Located at,
      String what) {
    String value =
        at.node() instanceof ConfigNode.Scalar s ? s.value() : SchemaDiagnostics.found(at.node());
    Position p = at.node().position();
    Optional<SettingsSchema.Malformed> declared = owner.flatMap(o -> malformed(o, schemaPath));
    if (declared.isPresent()) {
      return Diagnostic.error(
          p, String.format(declared.get().message(), value), declared.get().hint());
    }
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
    return Diagnostic.error(p, what + ": '" + value + "' is not in the expected form", null);
  }

  /** The owner's message for the innermost key of {@code schemaPath} it has one for. */
  private static Optional<SettingsSchema.Malformed> malformed(
      SchemaComposer.Owner owner, List<String> schemaPath) {
    for (int i = schemaPath.size() - 1; i > 0; i--) {
      if (schemaPath.get(i - 1).equals("properties")) {
        Optional<SettingsSchema.Malformed> m = owner.settings().malformed(schemaPath.get(i));
        if (m.isPresent()) {
          return m;
        }
      }
    }
    return Optional.empty();
  }

  /** A valid spelling close to {@code value}, for the hint. */
  private static String suggestName(String value, String invalid, String separator) {
    String s = value.toLowerCase(java.util.Locale.ROOT).replaceAll(invalid, separator);
    s = s.replaceAll("^[^a-z]+", "");
    if (s.isEmpty()) {
      s = "main";
    }
    return s.length() > 63 ? s.substring(0, 63) : s;
  }
}
