package dev.runctl.engine.spec;

import com.networknt.schema.Error;
import com.networknt.schema.path.NodePath;
import dev.runctl.engine.spi.ConfigNode;
import dev.runctl.engine.spi.Diagnostic;
import dev.runctl.engine.spi.Position;
import dev.runctl.engine.spi.SettingsSchema;
import dev.runctl.engine.spi.Suggestions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * Turns the JSON Schema validator's errors into runctl diagnostics: each instance location mapped
 * back to the line and column of its YAML node, and each message rewritten in plain words with a
 * hint ("did you mean 'needs'?" for an unknown key).
 */
final class SchemaDiagnostics {
  private static final Map<String, String> REQUIRED_HINTS =
      Map.ofEntries(
          Map.entry("version", "add version: 1 at the top of the spec"),
          Map.entry("name", "add a job name, e.g. name: tiny-mlp"),
          Map.entry("steps", "add steps:, a list of mappings with id: and uses:"),
          Map.entry("id", "give the step an id, e.g. id: prepare"),
          Map.entry("uses", "name the step type"),
          Map.entry("with", "this step type needs settings under with:"));

  private final ConfigNode root;
  private final JsonNode schema;
  private final Map<String, SchemaComposer.Owner> owners;

  SchemaDiagnostics(ConfigNode root, JobSchema compiled) {
    this.root = root;
    this.schema = compiled.document();
    this.owners = compiled.owners();
  }

  /** The target provider or step type whose settings {@code schemaPath} lies in. */
  private Optional<SchemaComposer.Owner> owner(List<String> schemaPath) {
    int defs = schemaPath.indexOf("$defs");
    return defs >= 0 && defs + 1 < schemaPath.size()
        ? Optional.ofNullable(owners.get(schemaPath.get(defs + 1)))
        : Optional.empty();
  }

  /** A hint the owner declares for a failed keyword of its mapping, as a diagnostic. */
  private Optional<Diagnostic> broken(List<String> schemaPath, Position at, String... args) {
    String keyword = schemaPath.isEmpty() ? "" : schemaPath.get(schemaPath.size() - 1);
    return owner(schemaPath)
        .flatMap(o -> o.settings().broken(keyword))
        .map(h -> Diagnostic.error(at, String.format(h.message(), (Object[]) args), h.hint()));
  }

  /** Where an instance location points: the node, and the key that holds it (if any). */
  record Located(ConfigNode node, Optional<String> key, Position keyPosition, String label) {}

  Diagnostic toDiagnostic(Error e) {
    Located at = locate(e.getInstanceLocation());
    List<String> schemaPath = fragment(e.getSchemaLocation().getFragment());
    String keyword = String.valueOf(e.getKeyword());
    String what = at.label();
    return switch (keyword) {
      case "additionalProperties" -> unknownKey(e, at, schemaPath);
      case "required" -> required(e, at, schemaPath);
      case "type" ->
          Diagnostic.error(
              at.node().position(),
              what + " must be " + expectedType(e.getSchemaNode()) + ", not " + found(at.node()),
              null);
      case "const" ->
          Diagnostic.error(
              at.node().position(),
              what + " must be " + e.getSchemaNode().asString() + ", not " + text(at.node()),
              null);
      case "enum" -> enumError(e, at, what);
      case "pattern" ->
          JobSchema.enumValues(e.getSchemaNode().asString())
              .map(values -> enumError(values, at, what))
              .orElseGet(() -> PatternMessages.diagnostic(schemaPath, owner(schemaPath), at, what));
      case "minimum", "maximum" ->
          at.key().filter("version"::equals).isPresent()
              ? Diagnostic.error(
                  at.node().position(),
                  "'version' must be 1, not " + text(at.node()),
                  "this runctl reads spec version 1")
              : Diagnostic.error(
                  at.node().position(),
                  what + " must be " + bound(keyword, e.getSchemaNode()),
                  null);
      case "exclusiveMinimum" ->
          Diagnostic.error(
              at.node().position(), what + " must be " + bound(keyword, e.getSchemaNode()), null);
      case "minItems" ->
          Diagnostic.error(at.node().position(), what + " must not be an empty list", null);
      case "minLength" -> Diagnostic.error(at.node().position(), what + " must not be empty", null);
      case "minProperties" -> minProperties(at, schemaPath, what);
      case "uniqueItems" ->
          Diagnostic.error(
              at.node().position(),
              what + " lists the same value twice",
              "remove the repeated value");
      case "propertyNames" ->
          Diagnostic.error(
              ((ConfigNode.Mapping) at.node()).keyPosition(e.getProperty()),
              "'" + e.getProperty() + "' is not a valid environment variable name",
              "use letters, digits and '_', not starting with a digit");
      default ->
          broken(schemaPath, at.node().position())
              .orElseGet(() -> Diagnostic.error(at.node().position(), plain(e.getMessage()), null));
    };
  }

  private Diagnostic unknownKey(Error e, Located at, List<String> schemaPath) {
    String key = e.getProperty();
    ConfigNode.Mapping m = (ConfigNode.Mapping) at.node();
    List<String> allowed = allowedKeys(schemaPath);
    String where = at.key().map(k -> " under '" + k + "'").orElse("");
    String hint =
        Suggestions.didYouMean(key, allowed)
            .orElse(
                allowed.isEmpty() ? "remove it" : "allowed here: " + String.join(", ", allowed));
    return broken(schemaPath, m.keyPosition(key), key)
        .orElseGet(
            () -> Diagnostic.error(m.keyPosition(key), "unknown key '" + key + "'" + where, hint));
  }

  private Diagnostic required(Error e, Located at, List<String> schemaPath) {
    String key = e.getProperty();
    Optional<SchemaComposer.Owner> owner = owner(schemaPath);
    String hint =
        owner
            .flatMap(o -> o.settings().missing(key))
            .map(SettingsSchema.Missing::hint)
            .orElse(coreHint(key));
    Position p = at.key().isPresent() ? at.keyPosition() : at.node().position();
    if (owner.isPresent() && owner.get().kind() == SchemaComposer.Kind.TARGET) {
      return Diagnostic.error(p, "the " + owner.get().name() + " target needs '" + key + "'", hint);
    }
    String where = at.key().map(k -> " in '" + k + "'").orElse("");
    if (at.key().isEmpty() && at.node() != root) {
      where = " in this step";
    }
    return Diagnostic.error(p, "missing required key '" + key + "'" + where, hint);
  }

  /**
   * The hint for a core key the spec lacks; where it shows a step, the step type is one the
   * registry holds, never a name the engine knows.
   */
  private String coreHint(String key) {
    String types =
        owners.values().stream()
            .filter(o -> o.kind() == SchemaComposer.Kind.STEP)
            .map(SchemaComposer.Owner::name)
            .sorted()
            .collect(java.util.stream.Collectors.joining(", "));
    if (types.isEmpty()) {
      return REQUIRED_HINTS.get(key);
    }
    return switch (key) {
      case "steps" -> REQUIRED_HINTS.get(key) + " (uses: one of " + types + ")";
      case "uses" -> "name the step type, one of: " + types;
      default -> REQUIRED_HINTS.get(key);
    };
  }

  private Diagnostic enumError(Error e, Located at, String what) {
    List<String> values = new ArrayList<>();
    e.getSchemaNode().forEach(v -> values.add(v.asString()));
    return enumError(values, at, what);
  }

  private Diagnostic enumError(List<String> values, Located at, String what) {
    String found = text(at.node());
    String hint =
        Suggestions.didYouMean(found, values).orElse("one of: " + String.join(", ", values));
    return Diagnostic.error(at.node().position(), what + " cannot be " + quoted(at.node()), hint);
  }

  private Diagnostic minProperties(Located at, List<String> schemaPath, String what) {
    return broken(schemaPath, at.node().position())
        .orElseGet(() -> Diagnostic.error(at.node().position(), what + " must not be empty", null));
  }

  /** The keys the schema object around {@code schemaPath} (ending in the keyword) declares. */
  private List<String> allowedKeys(List<String> schemaPath) {
    JsonNode node = schema;
    for (String part : schemaPath.subList(0, Math.max(0, schemaPath.size() - 1))) {
      node = node.path(part);
    }
    List<String> keys = new ArrayList<>(node.path("properties").propertyNames());
    return keys;
  }

  Located locate(NodePath path) {
    ConfigNode node = root;
    Optional<String> key = Optional.empty();
    Position keyPosition = root.position();
    String label = "the spec";
    for (int i = 0; i < path.getNameCount(); i++) {
      Object element = path.getElement(i);
      if (element instanceof Integer index && node instanceof ConfigNode.Seq q) {
        if (index >= q.items().size()) {
          break;
        }
        node = q.items().get(index);
        label = "item " + (index + 1) + key.map(k -> " of '" + k + "'").orElse("");
        key = Optional.empty();
      } else if (node instanceof ConfigNode.Mapping m
          && m.get(String.valueOf(element)).isPresent()) {
        String k = String.valueOf(element);
        keyPosition = m.keyPosition(k);
        node = m.get(k).get();
        key = Optional.of(k);
        label = "'" + k + "'";
      } else {
        break;
      }
    }
    return new Located(node, key, keyPosition, label);
  }

  static List<String> fragment(NodePath path) {
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < path.getNameCount(); i++) {
      parts.add(String.valueOf(path.getElement(i)));
    }
    return parts;
  }

  private static String expectedType(JsonNode type) {
    if (type.isArray()) {
      List<String> names = new ArrayList<>();
      type.forEach(t -> names.add(typeName(t.asString())));
      String last = names.remove(names.size() - 1);
      return names.isEmpty() ? last : String.join(", ", names) + " or " + last;
    }
    return typeName(type.asString());
  }

  private static String typeName(String t) {
    return switch (t) {
      case "string" -> "a string";
      case "integer" -> "a whole number";
      case "number" -> "a number";
      case "boolean" -> "true/false";
      case "object" -> "a mapping (key: value)";
      case "array" -> "a list";
      default -> t;
    };
  }

  static String found(ConfigNode node) {
    if (node instanceof ConfigNode.Scalar s) {
      return switch (s.kind()) {
        case STRING -> "the string " + quoted(s);
        case INT -> "the number " + s.value();
        case FLOAT -> "the number " + s.value();
        case BOOL -> s.value();
        case NULL -> "empty";
      };
    }
    return node instanceof ConfigNode.Seq ? "a list" : "a mapping";
  }

  private static String text(ConfigNode node) {
    return node instanceof ConfigNode.Scalar s ? s.value() : found(node);
  }

  private static String quoted(ConfigNode node) {
    String t = text(node);
    return node instanceof ConfigNode.Scalar ? "'" + t + "'" : t;
  }

  private static String bound(String keyword, JsonNode value) {
    String v = value.asString();
    return switch (keyword) {
      case "minimum" -> "at least " + v;
      case "exclusiveMinimum" -> "greater than " + v;
      default -> "at most " + v;
    };
  }

  /** networknt's message without its "$.a.b: " location prefix. */
  private static String plain(String message) {
    int colon = message.indexOf(": ");
    return message.startsWith("$") && colon > 0 ? message.substring(colon + 2) : message;
  }
}
