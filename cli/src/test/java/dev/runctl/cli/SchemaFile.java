package dev.runctl.cli;

import dev.runctl.engine.spec.JobSchema;
import dev.runctl.engine.spec.PackagedSchema;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The repository's {@code schema/job.schema.json}: the job schema composed from the shipped step
 * types and targets, as {@code runctl schema} prints it. The build writes it ({@code mvn package},
 * which {@code ./runctl} runs); {@link SchemaFileTest} fails when the checked-in file differs.
 */
final class SchemaFile {
  private SchemaFile() {}

  static String composed() {
    return JobSchema.text(Components.standardRegistry());
  }

  /**
   * Writes the composed schema to {@code args[0]} when its content differs; with {@code --packaged
   * CLASSES}, writes it and its key under the classes folder instead, where {@code plan} reads it
   * ({@link PackagedSchema}).
   */
  public static void main(String[] args) throws IOException {
    if (args[0].equals("--packaged")) {
      Path classes = Path.of(args[1]);
      write(classes.resolve(PackagedSchema.DOCUMENT), composed());
      write(
          classes.resolve(PackagedSchema.KEY),
          PackagedSchema.key(Components.standardRegistry()) + "\n");
      return;
    }
    write(Path.of(args[0]), composed());
  }

  private static void write(Path file, String text) throws IOException {
    if (!Files.exists(file) || !Files.readString(file, StandardCharsets.UTF_8).equals(text)) {
      Files.createDirectories(file.getParent());
      Files.writeString(file, text, StandardCharsets.UTF_8);
      System.out.println("wrote " + file.normalize());
    }
  }
}
