package dev.runctl.engine.spec;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.runctl.engine.json.Json;
import dev.runctl.engine.registry.Registry;
import dev.runctl.engine.spi.ConfigNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The job spec's JSON Schema (draft 2020-12) as {@link SchemaComposer} composes it for a registry,
 * compiled once per instance and applied to a composed {@link ConfigNode} tree. The raw errors are
 * turned into diagnostics by {@link SchemaDiagnostics}.
 */
public final class JobSchema {
  private final Schema schema;
  private final Map<String, SchemaComposer.Owner> owners;
  private final List<NumberRules.Bound> bounds;

  private JobSchema(
      Schema schema, Map<String, SchemaComposer.Owner> owners, List<NumberRules.Bound> bounds) {
    this.schema = schema;
    this.owners = owners;
    this.bounds = bounds;
  }

  /** The composed schema's text, as {@code runctl schema} publishes it (pretty-printed). */
  public static String text(Registry registry) {
    JsonNode document = SchemaComposer.compose(registry).document();
    return Json.pretty(g -> SchemaTree.write(document, g)) + "\n";
  }

  /**
   * Composes and compiles the schema (read without an ObjectMapper; see {@link SchemaTree}); the
   * document composed at build time ({@link PackagedSchema}) when it fits the registry. The copy
   * the validator compiles has its enums rewritten as patterns and the numeric bounds of settings
   * taken out into {@link NumberRules}.
   */
  public static JobSchema compile(Registry registry) {
    SchemaComposer.Composed composed =
        PackagedSchema.document(registry)
            .map(
                text ->
                    new SchemaComposer.Composed(
                        (ObjectNode) SchemaTree.parse(text), SchemaComposer.owners(registry)))
            .orElseGet(() -> SchemaComposer.compose(registry));
    ObjectNode tree = composed.document();
    List<NumberRules.Bound> bounds = new ArrayList<>();
    composed
        .owners()
        .forEach((def, owner) -> takeBounds(tree.path("$defs").path(def), owner, bounds));
    enumsToPatterns(tree);
    SchemaRegistry registryOfSchemas =
        SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    return new JobSchema(registryOfSchemas.getSchema(tree), composed.owners(), List.copyOf(bounds));
  }

  /**
   * Moves {@code minimum}, {@code exclusiveMinimum}, {@code maximum} of a def's keys into rules.
   */
  private static void takeBounds(
      JsonNode def, SchemaComposer.Owner owner, List<NumberRules.Bound> bounds) {
    def.path("properties")
        .properties()
        .forEach(
            e -> {
              if (e.getValue() instanceof ObjectNode key) {
                JsonNode min = key.remove("minimum");
                JsonNode exclusive = key.remove("exclusiveMinimum");
                JsonNode max = key.remove("maximum");
                if (min != null || exclusive != null || max != null) {
                  bounds.add(
                      new NumberRules.Bound(
                          owner.kind(),
                          owner.name(),
                          owner.byDefault(),
                          e.getKey(),
                          decimal(exclusive != null ? exclusive : min),
                          exclusive != null,
                          decimal(max)));
                }
              }
            });
  }

  private static BigDecimal decimal(JsonNode n) {
    return n == null || !n.isNumber() ? null : n.decimalValue();
  }

  Map<String, SchemaComposer.Owner> owners() {
    return owners;
  }

  List<NumberRules.Bound> bounds() {
    return bounds;
  }

  /** The prefix of the patterns that stand for an {@code enum} of strings at run time. */
  static final String ENUM_PATTERN_START = "^(?:";

  static final String ENUM_PATTERN_END = ")$";

  /**
   * Rewrites every {@code enum} of strings into an equivalent {@code pattern} (plus {@code type:
   * string}) in the copy the validator compiles. The published schema keeps its enums for editors;
   * the validator's enum keyword formats its values through a Jackson mapper, which costs more
   * start-up time than the rest of a plan. {@link SchemaDiagnostics} reads such patterns back as
   * the list of allowed values.
   */
  static void enumsToPatterns(JsonNode node) {
    if (node instanceof ObjectNode o) {
      JsonNode values = o.get("enum");
      if (values instanceof ArrayNode a && allStrings(a)) {
        List<String> alternatives = new java.util.ArrayList<>();
        a.forEach(v -> alternatives.add(java.util.regex.Pattern.quote(v.asString())));
        o.remove("enum");
        o.put("pattern", ENUM_PATTERN_START + String.join("|", alternatives) + ENUM_PATTERN_END);
        if (!o.has("type")) {
          o.put("type", "string");
        }
      }
      o.properties().forEach(e -> enumsToPatterns(e.getValue()));
    } else if (node instanceof ArrayNode a) {
      a.forEach(JobSchema::enumsToPatterns);
    }
  }

  private static boolean allStrings(ArrayNode a) {
    for (JsonNode v : a) {
      if (!v.isString()) {
        return false;
      }
    }
    return !a.isEmpty();
  }

  /** The values of an enum that {@link #enumsToPatterns} rewrote, or empty for other patterns. */
  static java.util.Optional<List<String>> enumValues(String pattern) {
    if (!pattern.startsWith(ENUM_PATTERN_START) || !pattern.endsWith(ENUM_PATTERN_END)) {
      return java.util.Optional.empty();
    }
    String body =
        pattern.substring(
            ENUM_PATTERN_START.length(), pattern.length() - ENUM_PATTERN_END.length());
    List<String> values = new java.util.ArrayList<>();
    for (String alt : body.split("\\|")) {
      values.add(alt.replace("\\Q", "").replace("\\E", ""));
    }
    return java.util.Optional.of(values);
  }

  /** The schema document, to look up the keys allowed where an unknown one was found. */
  JsonNode document() {
    return schema.getSchemaNode();
  }

  List<Error> validate(ConfigNode root) {
    return schema.validate(toJson(root));
  }

  static JsonNode toJson(ConfigNode node) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    if (node instanceof ConfigNode.Scalar s) {
      return switch (s.kind()) {
        case NULL -> f.nullNode();
        case BOOL ->
            f.booleanNode(Boolean.parseBoolean(s.value().toLowerCase(java.util.Locale.ROOT)));
        case INT -> integer(s.value(), f);
        case FLOAT -> decimal(s.value(), f);
        case STRING -> f.stringNode(s.value());
      };
    }
    if (node instanceof ConfigNode.Seq q) {
      ArrayNode a = f.arrayNode(q.items().size());
      q.items().forEach(i -> a.add(toJson(i)));
      return a;
    }
    ObjectNode o = f.objectNode();
    ((ConfigNode.Mapping) node).entries().forEach((k, v) -> o.set(k, toJson(v)));
    return o;
  }

  private static JsonNode integer(String text, JsonNodeFactory f) {
    try {
      String t = text.replace("_", "");
      if (t.startsWith("0x")) {
        return f.numberNode(new BigInteger(t.substring(2), 16));
      }
      if (t.startsWith("0o")) {
        return f.numberNode(new BigInteger(t.substring(2), 8));
      }
      return f.numberNode(new BigInteger(t));
    } catch (NumberFormatException e) {
      return f.stringNode(text);
    }
  }

  private static JsonNode decimal(String text, JsonNodeFactory f) {
    try {
      return f.numberNode(new BigDecimal(text));
    } catch (NumberFormatException e) {
      return f.stringNode(text);
    }
  }
}
