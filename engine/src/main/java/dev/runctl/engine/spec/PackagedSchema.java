package dev.runctl.engine.spec;

import dev.runctl.engine.registry.Registry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The job schema composed at build time: the build writes the composed document of the shipped
 * registry and its {@link SchemaComposer#key key} into the jar ({@link #DOCUMENT}, {@link #KEY}).
 * {@code plan} reads that document instead of composing one at each start; a registry with another
 * key (a test's, or a build whose copy is stale) is composed as before.
 */
public final class PackagedSchema {
  /** Where the build puts the composed document, on the class path. */
  public static final String DOCUMENT = "runctl/job.schema.json";

  /** Where the build puts the document's key, on the class path. */
  public static final String KEY = "runctl/job.schema.key";

  private PackagedSchema() {}

  /** The key of {@code registry}'s composed document, for the build to write next to it. */
  public static String key(Registry registry) {
    return SchemaComposer.key(registry);
  }

  /** The packaged document when it was composed for a registry like {@code registry}. */
  public static Optional<String> document(Registry registry) {
    Optional<String> key = resource(KEY);
    if (key.isEmpty() || !key.get().strip().equals(SchemaComposer.key(registry))) {
      return Optional.empty();
    }
    return resource(DOCUMENT);
  }

  private static Optional<String> resource(String name) {
    ClassLoader loader = PackagedSchema.class.getClassLoader();
    try (InputStream in = loader.getResourceAsStream(name)) {
      return in == null
          ? Optional.empty()
          : Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
