package dev.runctl.steps.sync;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Recognises a runctl state folder inside a workdir, wherever it came from: the default {@code
 * .runctl} of runs started from the workdir itself, or a {@code --state-dir} put there. Its run
 * folders hold virtual environments, workspaces and artifacts of earlier runs, which a sync must
 * never copy (they can be gigabytes, and they are runctl's, not the job's).
 */
final class StateFolders {
  /** The name of the state folder runctl creates by default (in the folder it is started from). */
  static final String DEFAULT_NAME = ".runctl";

  private StateFolders() {}

  /**
   * Whether {@code dir}, whose entries are {@code names}, is a state folder: a {@code .runctl}
   * folder with {@code runs/} or {@code cache/} in it, or any folder whose {@code runs/} holds a
   * run folder with a journal.
   */
  static boolean holdsState(Path dir, List<String> names) {
    boolean runs = names.contains("runs");
    if (DEFAULT_NAME.equals(String.valueOf(dir.getFileName()))
        && (runs || names.contains("cache"))) {
      return true;
    }
    return runs && holdsAJournal(dir.resolve("runs"));
  }

  private static boolean holdsAJournal(Path runs) {
    if (!Files.isDirectory(runs)) {
      return false;
    }
    try (DirectoryStream<Path> s = Files.newDirectoryStream(runs)) {
      for (Path run : s) {
        if (Files.isRegularFile(run.resolve("journal.jsonl"))) {
          return true;
        }
      }
    } catch (IOException e) {
      return false;
    }
    return false;
  }
}
