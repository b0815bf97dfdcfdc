package dev.runctl.cli.secrets;

import dev.runctl.engine.ErrorCategory;
import dev.runctl.engine.RunctlException;
import dev.runctl.engine.spi.SecretRef;
import dev.runctl.engine.spi.SecretSource;
import dev.runctl.engine.spi.SettingsSchema;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code NAME: {file: path}}: the text of a file (one trailing line end dropped); {@code ~/} is the
 * home folder, a relative path is relative to the spec's folder.
 */
public final class FileSecretSource implements SecretSource {
  public static final SettingsSchema SCHEMA =
      SettingsSchema.of(
          """
          {
            "description": "A file on the machine runctl runs on.",
            "type": "object",
            "required": ["file"],
            "additionalProperties": false,
            "properties": {
              "file": {"description": "Its path: ~/ for the home folder, else relative to the spec's folder.",
                       "type": "string", "minLength": 1}
            }
          }
          """);

  private static final long MAX_BYTES = 64 * 1024;

  @Override
  public String name() {
    return "file";
  }

  @Override
  public SettingsSchema settings() {
    return SCHEMA;
  }

  @Override
  public java.util.Optional<Path> localFile(SecretRef ref) {
    return java.util.Optional.of(path(ref));
  }

  @Override
  public String read(SecretRef ref) {
    Path file = path(ref);
    try {
      if (Files.size(file) > MAX_BYTES) {
        throw new RunctlException(
            ErrorCategory.ENVIRONMENT,
            "secret " + ref.describe() + ": " + file + " is larger than 64 KiB",
            "point it at a file that holds the secret alone");
      }
      String text = Files.readString(file, StandardCharsets.UTF_8);
      String value =
          text.endsWith("\r\n")
              ? text.substring(0, text.length() - 2)
              : text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
      if (value.isEmpty()) {
        throw new RunctlException(
            ErrorCategory.ENVIRONMENT,
            "secret " + ref.describe() + ": " + file + " is empty",
            "write the secret into it");
      }
      return value;
    } catch (IOException e) {
      throw new RunctlException(
          ErrorCategory.ENVIRONMENT,
          "secret "
              + ref.describe()
              + ": cannot read "
              + file
              + " ("
              + e.getClass().getSimpleName().replace("Exception", "")
              + ")",
          "check that the file exists and that runctl's user can read it",
          e);
    }
  }

  static Path path(SecretRef ref) {
    String p = ref.locator();
    if (p.equals("~") || p.startsWith("~/")) {
      return Path.of(System.getProperty("user.home")).resolve(p.substring(Math.min(2, p.length())));
    }
    return ref.specDir().resolve(p).normalize();
  }
}
