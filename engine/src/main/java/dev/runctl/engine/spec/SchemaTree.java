package dev.runctl.engine.spec;

import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads the schema document into a Jackson tree with the streaming parser alone. A databind {@code
 * ObjectMapper} would do it in one call, but building one costs more start-up time than the rest of
 * a plan; the token stream is all this trusted, packaged document needs.
 */
final class SchemaTree {
  private SchemaTree() {}

  static JsonNode parse(String json) {
    try (JsonParser p = new JsonFactory().createParser(ObjectReadContext.empty(), json)) {
      return value(p, p.nextToken());
    }
  }

  private static JsonNode value(JsonParser p, JsonToken t) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    return switch (t) {
      case START_OBJECT -> {
        ObjectNode o = f.objectNode();
        for (JsonToken k = p.nextToken(); k != JsonToken.END_OBJECT; k = p.nextToken()) {
          String name = p.currentName();
          o.set(name, value(p, p.nextToken()));
        }
        yield o;
      }
      case START_ARRAY -> {
        ArrayNode a = f.arrayNode();
        for (JsonToken v = p.nextToken(); v != JsonToken.END_ARRAY; v = p.nextToken()) {
          a.add(value(p, v));
        }
        yield a;
      }
      case VALUE_STRING -> f.stringNode(p.getString());
      case VALUE_NUMBER_INT -> f.numberNode(p.getBigIntegerValue());
      case VALUE_NUMBER_FLOAT -> f.numberNode(p.getDecimalValue());
      case VALUE_TRUE -> f.booleanNode(true);
      case VALUE_FALSE -> f.booleanNode(false);
      case VALUE_NULL -> f.nullNode();
      default -> throw new IllegalStateException("unexpected " + t + " in the packaged schema");
    };
  }
}
