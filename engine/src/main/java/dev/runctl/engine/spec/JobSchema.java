package dev.runctl.engine.spec;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The job spec's JSON Schema (schema/job.schema.json, draft 2020-12), compiled once per instance
 * and applied to a composed {@link ConfigNode} tree. The raw errors are turned into diagnostics by
 * {@link SchemaDiagnostics}.
 */
public final class JobSchema {
  private static final String RESOURCE = "job.schema.json";
  private final Schema schema;

  private JobSchema(Schema schema) {
    this.schema = schema;
  }

  /** The schema's text, as {@code runctl schema} publishes it. */
  public static String text() {
    try (InputStream in = JobSchema.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("the build did not package " + RESOURCE);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Compiles the schema (read without an ObjectMapper; see {@link SchemaTree}). */
  public static JobSchema compile() {
    JsonNode tree = SchemaTree.parse(text());
    enumsToPatterns(tree);
    SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    return new JobSchema(registry.getSchema(tree));
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
