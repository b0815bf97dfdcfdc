package dev.runctl.cli;

import dev.runctl.engine.ErrorCategory;
import dev.runctl.engine.RunctlException;
import dev.runctl.engine.spi.Diagnostic;
import dev.runctl.engine.spi.Severity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Why the spec frozen in a run no longer loads on resume, said by its cause: the workdir moved or
 * deleted, files the steps need gone from it, or (only when neither) a runctl that reads the spec
 * differently from the one that started the run.
 */
final class FrozenSpecProblem {
  private FrozenSpecProblem() {}

  static RunctlException explain(String runId, Path specFile, List<Diagnostic> diagnostics) {
    Path folder = specFile.toAbsolutePath().getParent();
    String fresh = "or start a new run with `runctl apply` from where the project is now";
    if (folder != null && !Files.isDirectory(folder)) {
      return new RunctlException(
          ErrorCategory.USAGE,
          "the folder of run "
              + runId
              + "'s spec, "
              + folder
              + ", is gone (moved or deleted): the workdir and the paths in the spec resolve"
              + " against it; nothing was run",
          "move the project back to " + folder + " and resume again, " + fresh);
    }
    List<String> missing =
        diagnostics.stream()
            .filter(d -> d.severity() == Severity.ERROR)
            .map(Diagnostic::message)
            .filter(m -> m.contains("does not exist"))
            .toList();
    Optional<String> workdir = missing.stream().filter(m -> m.startsWith("workdir '")).findFirst();
    if (workdir.isPresent()) {
      return new RunctlException(
          ErrorCategory.USAGE,
          "the workdir of run "
              + runId
              + " is gone (moved or deleted): "
              + workdir.get()
              + "; nothing was run",
          "move it back and resume again, " + fresh);
    }
    if (!missing.isEmpty()) {
      return new RunctlException(
          ErrorCategory.USAGE,
          "files run "
              + runId
              + " needs are missing from its workdir (deleted or moved since the run began): "
              + String.join("; ", missing)
              + "; nothing was run",
          "restore them (from git, say) and resume again, " + fresh);
    }
    return new RunctlException(
        ErrorCategory.USAGE,
        "the spec frozen in run " + runId + " no longer loads (the errors above); nothing was run",
        "if runctl was upgraded since the run began, resume it with the version that started it, "
            + fresh);
  }
}
