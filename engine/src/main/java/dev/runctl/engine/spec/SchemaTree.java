package dev.runctl.engine.spec;

import dev.runctl.engine.json.Json;
import java.util.Map;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads the schema document into a Jackson tree with the streaming parser alone, and writes a tree
 * with the generator. A databind {@code ObjectMapper} would do either in one call, but building one
 * costs more start-up time than the rest of a plan; the token stream is all this trusted, packaged
 * document needs. (The tree itself is what the schema validator takes.)
 */
final class SchemaTree {
  private SchemaTree() {}

  static JsonNode parse(String json) {
    try (JsonParser p = Json.parser(json)) {
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

  /** Writes {@code node} with {@code g}. */
  static void write(JsonNode node, JsonGenerator g) {
    if (node instanceof ObjectNode o) {
      g.writeStartObject();
      for (Map.Entry<String, JsonNode> e : o.properties()) {
        g.writeName(e.getKey());
        write(e.getValue(), g);
      }
      g.writeEndObject();
    } else if (node instanceof ArrayNode a) {
      g.writeStartArray();
      for (JsonNode v : a) {
        write(v, g);
      }
      g.writeEndArray();
    } else if (node.isString()) {
      g.writeString(node.asString());
    } else if (node.isIntegralNumber()) {
      g.writeNumber(node.bigIntegerValue());
    } else if (node.isNumber()) {
      g.writeNumber(node.decimalValue());
    } else if (node.isBoolean()) {
      g.writeBoolean(node.booleanValue());
    } else {
      g.writeNull();
    }
  }
}
