package dev.runctl.engine.spi;

import java.nio.file.Path;
import java.util.List;

/**
 * What a step type sees of the whole plan once every step is configured ({@link StepType#review}):
 * the workdir, the paths the steps name (each with where the spec names it), the reviewed step's
 * place in the spec, and where to report. Sync uses it to say, before anything is rented, which of
 * those paths its excludes leave out.
 */
public record PlanReview(
    Path workdir,
    Position at,
    List<NamedPath> named,
    List<NamedPath> secretFiles,
    Diagnostics diagnostics) {

  public PlanReview {
    named = List.copyOf(named);
    secretFiles = List.copyOf(secretFiles);
  }

  /**
   * A path of the workdir that step {@code step} names ({@link StepConfig#namedPaths()}); in {@link
   * #secretFiles}, the file of the secret named {@code step} ({@link SecretSource#localFile}).
   */
  public record NamedPath(String step, String path, Position at) {}
}
