package dev.runctl.engine.state;

import dev.runctl.engine.ErrorCategory;
import dev.runctl.engine.RunctlException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Optional;

/**
 * One live process per run: an OS file lock on {@code <run-dir>/lock} (released by the OS when the
 * process dies, kill -9 included) and, in the same file, a record of the holder (pid, host, start
 * time) so that a second process can name it.
 */
public final class RunLock implements AutoCloseable {
  private final FileChannel channel;
  private final FileLock lock;
  private final LockHolder self;
  private final Optional<LockHolder> takenOverFrom;

  private RunLock(
      FileChannel channel, FileLock lock, LockHolder self, Optional<LockHolder> takenOver) {
    this.channel = channel;
    this.lock = lock;
    this.self = self;
    this.takenOverFrom = takenOver;
  }

  /**
   * Takes the run's lock at once or throws {@link RunLockedException} naming the holder. A record
   * left by a holder that died is taken over; {@link #takenOverFrom} says whose it was.
   */
  public static RunLock acquire(RunFolder run, Instant now) {
    FileChannel ch = null;
    try {
      ch =
          FileChannel.open(
              run.lock(),
              StandardOpenOption.CREATE,
              StandardOpenOption.READ,
              StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = ch.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null;
      }
      if (lock == null) {
        Optional<LockHolder> holder = holder(run);
        // A holder that has just taken the lock writes its record a moment later.
        for (int i = 0; i < 10 && holder.isEmpty(); i++) {
          Thread.sleep(20);
          holder = holder(run);
        }
        ch.close();
        throw new RunLockedException(run.runId(), holder);
      }
      Optional<LockHolder> previous = read(ch);
      LockHolder self = LockHolder.self(now);
      ch.truncate(0);
      ch.write(ByteBuffer.wrap(self.encode().getBytes(StandardCharsets.UTF_8)), 0);
      ch.force(true);
      return new RunLock(ch, lock, self, previous);
    } catch (InterruptedException e) {
      closeQuietly(ch);
      Thread.currentThread().interrupt();
      throw new RunLockedException(run.runId(), Optional.empty());
    } catch (IOException e) {
      closeQuietly(ch);
      throw new RunctlException(
          ErrorCategory.STATE,
          "cannot lock run " + run.runId() + " (" + run.lock() + "): " + e.getMessage(),
          "check that the state folder is writable",
          e);
    }
  }

  /** The recorded holder of a run's lock, if a record is there (it may be stale). */
  public static Optional<LockHolder> holder(RunFolder run) {
    try {
      Optional<LockHolder> here =
          Files.exists(run.lock())
              ? LockHolder.decode(Files.readString(run.lock(), StandardCharsets.UTF_8))
              : Optional.empty();
      return here.isPresent() ? here : RemoteHolder.live(run, Instant.now());
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /**
   * Whether some live process holds the run now: one on this machine (the lock is tried and let go
   * at once), or one elsewhere whose lease the last catch-up from the shared state saw live.
   */
  public static boolean isHeld(RunFolder run) {
    return isHeldHere(run) || RemoteHolder.live(run, Instant.now()).isPresent();
  }

  /** Whether a live process on this machine holds the run's lock (tries it, lets go at once). */
  public static boolean isHeldHere(RunFolder run) {
    if (!Files.exists(run.lock())) {
      return false;
    }
    try (FileChannel ch = FileChannel.open(run.lock(), StandardOpenOption.WRITE)) {
      FileLock l = ch.tryLock();
      if (l == null) {
        return true;
      }
      l.release();
      return false;
    } catch (OverlappingFileLockException e) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** The holder whose record was found when the lock was free, i.e. a process that had died. */
  public Optional<LockHolder> takenOverFrom() {
    return takenOverFrom;
  }

  public LockHolder self() {
    return self;
  }

  private static Optional<LockHolder> read(FileChannel ch) throws IOException {
    long size = ch.size();
    if (size == 0 || size > 4096) {
      return Optional.empty();
    }
    ByteBuffer buf = ByteBuffer.allocate((int) size);
    ch.read(buf, 0);
    return LockHolder.decode(new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8));
  }

  /** Clears the record (a clean end is not a takeover) and lets go. */
  @Override
  public void close() {
    try {
      channel.truncate(0);
      lock.release();
    } catch (IOException e) {
      // the OS drops the lock with the channel anyway
    } finally {
      closeQuietly(channel);
    }
  }

  private static void closeQuietly(FileChannel ch) {
    if (ch != null) {
      try {
        ch.close();
      } catch (IOException e) {
        // nothing to do
      }
    }
  }
}
