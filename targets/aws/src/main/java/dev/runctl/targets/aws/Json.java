package dev.runctl.targets.aws;

import dev.runctl.engine.spi.ManifestEntry;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * The shapes of JSON the aws target writes for its instance scripts (the manifest, a list of paths)
 * and reads back from what they print ({@code layout.py}'s result), through runctl's one JSON
 * writer and reader ({@link dev.runctl.engine.json.Json}).
 */
final class Json {
  private Json() {}

  /** What {@code layout.py} printed after {@code @@result}. */
  record Layout(
      long written,
      long deleted,
      List<String> missing,
      List<String> missingBlobs,
      String access,
      String accessError) {}

  /** The manifest object: path, sha256, mode and size of every file. */
  static byte[] manifest(List<ManifestEntry> files) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator g = dev.runctl.engine.json.Json.generator(out)) {
      g.writeStartObject();
      g.writeName("files");
      g.writeStartArray();
      for (ManifestEntry e : files) {
        g.writeStartObject();
        g.writeStringProperty("p", e.path());
        g.writeStringProperty("s", e.sha256());
        g.writeNumberProperty("m", e.mode() & 07777);
        g.writeNumberProperty("z", e.size());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    }
    out.write('\n');
    return out.toByteArray();
  }

  /** A JSON list of strings. */
  static String list(List<String> items) {
    return dev.runctl.engine.json.Json.strings(items);
  }

  /**
   * Reads {@code layout.py}'s result object; keys it does not know are skipped.
   *
   * @throws IllegalArgumentException when {@code json} is not such an object
   */
  static Layout layout(String json) {
    long written = 0;
    long deleted = 0;
    List<String> missing = List.of();
    List<String> missingBlobs = List.of();
    String access = "";
    String accessError = "";
    try (JsonParser p = dev.runctl.engine.json.Json.parser(json)) {
      expect(p.nextToken(), JsonToken.START_OBJECT, json);
      for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        switch (name) {
          case "written" -> written = p.getLongValue();
          case "deleted" -> deleted = p.getLongValue();
          case "missing" -> missing = strings(p, value, json);
          case "missing_blobs" -> missingBlobs = strings(p, value, json);
          case "access" -> access = string(p, value, json);
          case "access_error" -> accessError = string(p, value, json);
          default -> p.skipChildren();
        }
      }
    } catch (JacksonException e) {
      throw new IllegalArgumentException("not a layout result: " + e.getOriginalMessage(), e);
    }
    return new Layout(written, deleted, missing, missingBlobs, access, accessError);
  }

  private static String string(JsonParser p, JsonToken value, String json) {
    expect(value, JsonToken.VALUE_STRING, json);
    return p.getString();
  }

  private static List<String> strings(JsonParser p, JsonToken start, String json) {
    expect(start, JsonToken.START_ARRAY, json);
    List<String> out = new ArrayList<>();
    for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
      expect(t, JsonToken.VALUE_STRING, json);
      out.add(p.getString());
    }
    return List.copyOf(out);
  }

  private static void expect(JsonToken found, JsonToken wanted, String json) {
    if (found != wanted) {
      throw new IllegalArgumentException(
          "not a layout result (" + wanted + " expected, found " + found + "): " + json);
    }
  }
}
