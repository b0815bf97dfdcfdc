package dev.runctl.cli.sweep;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * {@code matrix.json} in a child's run folder: its sweep, its number and how many children the
 * sweep has (its share of the budget), and its combination. Written before the run folder's
 * journal, so every child run knows its combination, whichever command resumes it.
 */
public record SweepMark(String sweepId, int index, int children, Map<String, String> combination) {
  public static Path file(Path runDir) {
    return runDir.resolve("matrix.json");
  }

  public void write(Path runDir) {
    DurableFile.write(file(runDir), SweepJson.mark(this) + "\n");
  }

  /** The mark of the run in {@code runDir}; empty for a run that is not a sweep's child. */
  public static Optional<SweepMark> read(Path runDir) {
    Path f = file(runDir);
    if (!Files.isRegularFile(f)) {
      return Optional.empty();
    }
    try {
      return Optional.of(SweepJson.readMark(Files.readString(f)));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
