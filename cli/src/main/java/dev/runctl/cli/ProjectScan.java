package dev.runctl.cli;

import dev.runctl.engine.ErrorCategory;
import dev.runctl.engine.RunctlException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** What {@code runctl init} finds in a project folder. */
record ProjectScan(
    String script,
    Optional<String> requirements,
    boolean pyproject,
    boolean gitignore,
    boolean checkpointsFolder) {

  private static final int DEPTH = 3;

  /** Scans {@code dir}; {@code script} given: that one (which must exist), else the likeliest. */
  static ProjectScan of(Path dir, Path script) {
    String found =
        script != null ? given(dir, script) : likeliest(dir).orElseThrow(() -> noScript(dir));
    Optional<String> req =
        Files.isRegularFile(dir.resolve("requirements.txt"))
            ? Optional.of("requirements.txt")
            : Optional.empty();
    return new ProjectScan(
        found,
        req,
        Files.isRegularFile(dir.resolve("pyproject.toml")),
        Files.isRegularFile(dir.resolve(".gitignore")),
        Files.isDirectory(dir.resolve("checkpoints")));
  }

  private static String given(Path dir, Path script) {
    Path abs = dir.resolve(script).toAbsolutePath().normalize();
    if (!Files.isRegularFile(abs)) {
      throw new RunctlException(
          ErrorCategory.USAGE,
          "the training script " + script + " does not exist",
          "give the path of the Python script that trains, relative to this folder");
    }
    if (!abs.startsWith(dir)) {
      throw new RunctlException(
          ErrorCategory.USAGE,
          "the training script " + script + " is outside this folder (" + dir + ")",
          "run `runctl init` in the project's folder, the one that holds the script");
    }
    return slashes(dir.relativize(abs));
  }

  /**
   * train.py first, then other train*.py, shallower first, then by name; not in hidden or venvs.
   */
  static Optional<String> likeliest(Path dir) {
    try (Stream<Path> s = Files.walk(dir, DEPTH)) {
      return s.filter(Files::isRegularFile)
          .filter(p -> p.getFileName().toString().matches("train.*\\.py"))
          .map(dir::relativize)
          .filter(ProjectScan::notSkipped)
          .min(
              Comparator.comparing((Path p) -> !p.getFileName().toString().equals("train.py"))
                  .thenComparing(Path::getNameCount)
                  .thenComparing(Path::toString))
          .map(ProjectScan::slashes);
    } catch (IOException | java.io.UncheckedIOException e) {
      return Optional.empty();
    }
  }

  private static boolean notSkipped(Path relative) {
    for (Path part : relative) {
      String n = part.toString();
      if (n.startsWith(".")
          || List.of("venv", "env", "node_modules", "site-packages").contains(n)) {
        return false;
      }
    }
    return true;
  }

  private static RunctlException noScript(Path dir) {
    return new RunctlException(
        ErrorCategory.USAGE,
        "no training script given and no train*.py in " + dir,
        "name it: `runctl init path/to/script.py`");
  }

  private static String slashes(Path p) {
    return p.toString().replace(java.io.File.separatorChar, '/');
  }
}
