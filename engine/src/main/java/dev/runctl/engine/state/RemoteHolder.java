package dev.runctl.engine.state;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * The holder of a run on another machine, as the last catch-up from the shared state saw it: a
 * {@code holder} file in the run folder with the holder's record and when its lease expires. Until
 * then the run counts as held ({@link RunLock#isHeld}); a lease that was not renewed counts no
 * more.
 */
public final class RemoteHolder {
  private RemoteHolder() {}

  static Path file(RunFolder run) {
    return run.dir().resolve("holder");
  }

  /** Records {@code holder} with its lease's expiry, or removes the record (empty). */
  public static void write(RunFolder run, Optional<LockHolder> holder, Instant expires) {
    try {
      if (holder.isEmpty()) {
        Files.deleteIfExists(file(run));
      } else {
        Snapshotter.writeAtomically(file(run), holder.get().encode() + expires + "\n");
      }
    } catch (IOException e) {
      // only a display of who holds the run is lost
    }
  }

  /** The holder whose lease is live at {@code now}, as last seen. */
  public static Optional<LockHolder> live(RunFolder run, Instant now) {
    try {
      if (!Files.exists(file(run))) {
        return Optional.empty();
      }
      String text = Files.readString(file(run), StandardCharsets.UTF_8);
      String[] lines = text.split("\n");
      if (lines.length < 4 || !now.isBefore(Instant.parse(lines[3].trim()))) {
        return Optional.empty();
      }
      return LockHolder.decode(text);
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
