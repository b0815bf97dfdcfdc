package dev.runctl.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The project folder the CLI's end-to-end tests run in: the repository's training scripts copied
 * into its {@code training/} folder, and the scripts the tests wrap around them.
 */
final class TrainingProject {
  private TrainingProject() {}

  /**
   * Copies {@code training/<file>} of the repository for each of {@code files} into {@code
   * project/training/}; answers {@code project}.
   */
  static Path withTraining(Path project, String... files) throws IOException {
    Path repo = Path.of("").toAbsolutePath();
    while (!Files.exists(repo.resolve("training/tiny_mlp.py"))) {
      repo = repo.getParent();
    }
    Files.createDirectories(project.resolve("training"));
    for (String f : files) {
      Files.copy(
          repo.resolve("training").resolve(f),
          project.resolve("training").resolve(f),
          StandardCopyOption.REPLACE_EXISTING);
    }
    return project;
  }

  /**
   * Writes {@code training/once.py}: tiny_mlp for 4 epochs that, while the file named by its first
   * argument exists, removes it and crashes after checkpointing epoch 2 (so a retry or a resume
   * goes on from there).
   */
  static void failOnce(Path project) throws IOException {
    Files.writeString(
        project.resolve("training/once.py"),
        """
        import os, runpy, sys
        marker = sys.argv[1]
        sys.argv = ["tiny_mlp.py", "--epochs", "4"]
        if os.path.exists(marker):
            os.remove(marker)
            sys.argv += ["--crash-after-epoch", "2"]
        runpy.run_path("training/tiny_mlp.py", run_name="__main__")
        """);
  }
}
