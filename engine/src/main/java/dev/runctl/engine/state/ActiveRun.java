package dev.runctl.engine.state;

import java.time.Instant;
import java.util.List;

/**
 * A run held by this process: its folder, its lock, its journal (open for appending) and the
 * snapshot that follows the journal. {@code prior} is the state the journal held when it was opened
 * (empty for a new run); {@code notices} are things the user must be told (a lock taken over from a
 * dead process, a torn journal line cut off).
 */
public final class ActiveRun implements AutoCloseable {
  private final RunFolder folder;
  private final RunLock lock;
  private final Journal journal;
  private final Snapshotter snapshotter;
  private final RunState prior;
  private final boolean resumed;
  private final List<String> notices;
  private final java.util.Deque<Runnable> onClose = new java.util.ArrayDeque<>();

  ActiveRun(
      RunFolder folder,
      RunLock lock,
      Journal journal,
      Snapshotter snapshotter,
      RunState prior,
      boolean resumed,
      List<String> notices) {
    this.folder = folder;
    this.lock = lock;
    this.journal = journal;
    this.snapshotter = snapshotter;
    this.prior = prior;
    this.resumed = resumed;
    this.notices = List.copyOf(notices);
  }

  public RunFolder folder() {
    return folder;
  }

  public String runId() {
    return folder.runId();
  }

  public Journal journal() {
    return journal;
  }

  public Snapshotter snapshotter() {
    return snapshotter;
  }

  public RunState prior() {
    return prior;
  }

  public boolean resumed() {
    return resumed;
  }

  public List<String> notices() {
    return notices;
  }

  public LockHolder holder() {
    return lock.self();
  }

  /**
   * Runs {@code action} when the run is closed, after the journal and the final snapshot are
   * written and before the lock is let go (the last attached first): what ships the run elsewhere
   * flushes there. An action that throws does not keep the others from running.
   */
  public synchronized void onClose(Runnable action) {
    onClose.push(action);
  }

  /** Flushes the journal, writes the final snapshot, and lets go of the lock. */
  public void close(Instant now) {
    try {
      journal.close();
      snapshotter.write(now);
    } catch (dev.runctl.engine.RunctlException e) {
      // state.json is only a cache: readers see that it lags the journal and replay the journal
    } finally {
      try {
        runOnClose();
      } finally {
        lock.close();
      }
    }
  }

  private void runOnClose() {
    while (true) {
      Runnable next;
      synchronized (this) {
        next = onClose.poll();
      }
      if (next == null) {
        return;
      }
      try {
        next.run();
      } catch (RuntimeException e) {
        // each action reports its own trouble; the lock is let go regardless
      }
    }
  }

  @Override
  public void close() {
    close(Instant.now());
  }
}
