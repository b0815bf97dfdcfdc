package dev.runctl.engine.spec;

import java.nio.file.Path;

/** Paths as messages show them: relative to the current folder when below it, else absolute. */
public final class DisplayPaths {
  private DisplayPaths() {}

  public static String of(Path path) {
    Path abs = path.toAbsolutePath().normalize();
    Path cwd = Path.of("").toAbsolutePath().normalize();
    if (abs.startsWith(cwd)) {
      Path rel = cwd.relativize(abs);
      return rel.toString().isEmpty() ? "." : rel.toString();
    }
    return abs.toString();
  }
}
