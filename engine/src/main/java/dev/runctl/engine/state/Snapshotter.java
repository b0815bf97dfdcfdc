package dev.runctl.engine.state;

import dev.runctl.engine.ErrorCategory;
import dev.runctl.engine.RunctlException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Keeps {@code state.json} as a snapshot of the journal: it folds every durable record into the
 * state and writes the snapshot (temp file, then an atomic move) when asked and at most once per
 * {@code interval} while the run is live, the first time one interval after it began, never per
 * transition, so that cost grows linearly. (A run's start is no time to write a thousand pending
 * steps: readers replay the journal until the first snapshot.)
 */
public final class Snapshotter {
  private final RunFolder folder;
  private final Duration interval;
  private final StateBuilder builder = new StateBuilder();
  private long journalBytes;
  private boolean dirty;
  private Instant lastWrite;

  /** For a run that began (or resumed) at {@code began}. */
  public Snapshotter(
      RunFolder folder, Duration interval, List<JournalRecord> replayed, Instant began) {
    this.folder = folder;
    this.interval = interval;
    this.lastWrite = began;
    replayed.forEach(builder::apply);
  }

  /** Called by the journal for every record once it is on disk. */
  public synchronized void onDurable(JournalRecord record) {
    builder.apply(record);
    dirty = true;
  }

  public synchronized RunState state() {
    return builder.build();
  }

  /** Writes the snapshot when something changed and {@code interval} has passed. */
  public void writeIfDue(Instant now) {
    synchronized (this) {
      if (!dirty || Duration.between(lastWrite, now).compareTo(interval) < 0) {
        return;
      }
    }
    write(now);
  }

  /** Writes the snapshot now. */
  public void write(Instant now) {
    String json;
    synchronized (this) {
      journalBytes = size(folder.journal());
      json = StateCodec.encode(builder.build(), journalBytes);
      dirty = false;
      lastWrite = now;
    }
    writeAtomically(folder.snapshot(), json);
  }

  /**
   * The state of a run for readers: the snapshot when it matches the journal's size, otherwise the
   * journal replayed (a torn tail is ignored, not repaired: readers do not write).
   */
  public static RunState read(RunFolder folder) {
    long size = size(folder.journal());
    if (Files.exists(folder.snapshot())) {
      try {
        StateCodec.Decoded d =
            StateCodec.decode(Files.readString(folder.snapshot(), StandardCharsets.UTF_8));
        if (d.journalBytes() == size) {
          return d.state();
        }
      } catch (IOException | RuntimeException e) {
        // a snapshot is only a cache of the journal: fall back to replaying it
      }
    }
    return RunState.replay(JournalLoader.load(folder.journal(), false).records());
  }

  static void writeAtomically(Path target, String text) {
    try {
      AtomicFile.write(target, text.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new RunctlException(
          ErrorCategory.STATE,
          "cannot write " + target + ": " + e.getMessage(),
          "check that the state folder is writable and not full",
          e);
    }
  }

  private static long size(Path file) {
    try {
      return Files.exists(file) ? Files.size(file) : 0;
    } catch (IOException e) {
      return -1;
    }
  }
}
