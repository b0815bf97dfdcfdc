package dev.runctl.engine.state;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Compares a run's frozen spec with the spec file on disk: a resume runs the frozen copy, and says
 * so when the file was edited since the run began.
 */
public final class SpecDrift {
  private SpecDrift() {}

  /** A notice for the user when the spec file differs from the run's frozen copy. */
  public static Optional<String> of(RunFolder f) {
    try {
      if (!Files.isRegularFile(f.specSource()) || !Files.isRegularFile(f.spec())) {
        return Optional.empty();
      }
      Path original = Path.of(Files.readString(f.specSource(), StandardCharsets.UTF_8).trim());
      if (!Files.isRegularFile(original)) {
        return Optional.empty();
      }
      String frozen = Files.readString(f.spec(), StandardCharsets.UTF_8);
      String now = Files.readString(original, StandardCharsets.UTF_8);
      if (frozen.equals(now)) {
        return Optional.empty();
      }
      return Optional.of(
          "the spec file "
              + original
              + " was edited since run "
              + f.runId()
              + " began: the resume runs the spec frozen then ("
              + f.spec()
              + "), not the edited file; to run the edited spec, start a new run with `runctl"
              + " apply "
              + original
              + "`");
    } catch (IOException | RuntimeException e) {
      return Optional.empty(); // a fifo, an unreadable file: nothing to compare, nothing to say
    }
  }
}
