package dev.runctl.engine.state;

import dev.runctl.engine.ErrorCategory;
import dev.runctl.engine.RunctlException;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;

/**
 * The append-only journal of a live run, with group commit. Writing and syncing are paced apart:
 *
 * <ul>
 *   <li>An urgent record ({@link #append}: a step's end) is written at once by the appending
 *       thread, with the records queued before it, so that a crash of runctl itself (kill -9
 *       included) cannot lose it: the operating system holds it.
 *   <li>The fsync that protects against a crash of the machine is the writer thread's: at once
 *       after a quiet spell, otherwise within {@link #SYNC_INTERVAL} of the previous one, so that a
 *       burst of step ends, as a thousand tiny steps make, shares one fsync per interval instead of
 *       paying one each.
 *   <li>{@link #appendDurably} (a machine created, a run's end) is synced at once.
 *   <li>A record nobody waits for ({@link #appendLazily}: an attempt's start, its outputs) is only
 *       queued: it goes out with the next urgent record, or within {@link #LAZY_DELAY}.
 * </ul>
 *
 * <p>Records reach the file in the order they were appended. An append returns a future that
 * completes once its record is synced; {@code onDurable} sees every record then, in journal order
 * (the snapshot follows it).
 *
 * <p>An appending thread may be interrupted (a cancel interrupts a step's thread) while it writes:
 * its records go through a {@link FileOutputStream}, which an interrupt does not close, unlike a
 * {@link FileChannel}. The channel serves the fsync only, on the journal's own writer thread, which
 * nothing interrupts.
 */
public final class Journal implements AutoCloseable {
  /** How long a lazily appended record may wait for company before it is written anyway. */
  public static final Duration LAZY_DELAY = Duration.ofMillis(200);

  /** At most one fsync per this interval while records keep coming; see the class comment. */
  public static final Duration SYNC_INTERVAL = Duration.ofMillis(10);

  private record Pending(JournalRecord record, byte[] line, CompletableFuture<Void> done) {}

  private final Path file;
  private final FileOutputStream out;
  private final FileChannel channel;
  private final Consumer<JournalRecord> onDurable;
  private final long syncIntervalNanos;
  private final Object lock = new Object();
  private final Thread writer;
  // under the lock: appended but not written; written but not synced; when the last sync began
  private List<Pending> queue = new ArrayList<>();
  private List<Pending> unsynced = new ArrayList<>();
  private long lastSync = System.nanoTime() - Long.MAX_VALUE / 4;
  private boolean closing;
  private boolean syncNow;
  private long oldestLazy;
  // while the writer waits with a deadline: when it wakes up by itself (System.nanoTime)
  private boolean writerTimed;
  private long writerWakes;
  private RuntimeException failure;
  private volatile long syncs;

  private Journal(
      Path file, FileOutputStream out, Consumer<JournalRecord> onDurable, Duration syncInterval) {
    this.file = file;
    this.out = out;
    this.channel = out.getChannel();
    this.onDurable = onDurable;
    this.syncIntervalNanos = syncInterval.toNanos();
    this.writer = new Thread(this::writeLoop, "runctl-journal");
    writer.setDaemon(true);
    writer.start();
  }

  /** Opens {@code file} for appending (created when missing). */
  public static Journal open(Path file, Consumer<JournalRecord> onDurable) {
    return open(file, onDurable, SYNC_INTERVAL);
  }

  /** Opens {@code file} with another pace of fsyncs under load (tests). */
  static Journal open(Path file, Consumer<JournalRecord> onDurable, Duration syncInterval) {
    try {
      return new Journal(file, new FileOutputStream(file.toFile(), true), onDurable, syncInterval);
    } catch (IOException e) {
      throw new RunctlException(
          ErrorCategory.STATE,
          "cannot open the journal " + file + ": " + reason(e),
          "check that the state folder is writable",
          e);
    }
  }

  public Path file() {
    return file;
  }

  /**
   * Queues a record to be written at once and synced with the records around it; the future
   * completes once it is synced.
   */
  public CompletableFuture<Void> append(JournalRecord record) {
    return enqueue(record, true, false);
  }

  /** Queues a record that nobody waits for: it goes to disk with the next urgent one. */
  public CompletableFuture<Void> appendLazily(JournalRecord record) {
    return enqueue(record, false, false);
  }

  private CompletableFuture<Void> enqueue(JournalRecord record, boolean now, boolean sync) {
    byte[] line = (JournalCodec.encode(record) + "\n").getBytes(StandardCharsets.UTF_8);
    CompletableFuture<Void> done = new CompletableFuture<>();
    synchronized (lock) {
      if (failure != null) {
        throw failure;
      }
      if (closing) {
        throw new IllegalStateException("journal " + file + " is closed");
      }
      if (queue.isEmpty()) {
        oldestLazy = System.nanoTime();
      }
      queue.add(new Pending(record, line, done));
      if (!now) {
        if (queue.size() == 1
            && (!writerTimed || writerWakes - oldestLazy > LAZY_DELAY.toNanos())) {
          // the writer keeps the lazy deadline; one that wakes before it (for a sync) sees it then
          lock.notifyAll();
        }
        return done;
      }
      boolean idle = unsynced.isEmpty();
      writeQueued();
      syncNow |= sync;
      if (syncNow || idle) {
        lock.notifyAll(); // the writer syncs: now, or once the interval since the last one passed
      }
    }
    return done;
  }

  /** Writes every queued record, in order; under the lock. A failure fails the journal. */
  private void writeQueued() {
    if (queue.isEmpty()) {
      return;
    }
    int size = 0;
    for (Pending p : queue) {
      size += p.line().length;
    }
    ByteBuffer buf = ByteBuffer.allocate(size);
    for (Pending p : queue) {
      buf.put(p.line());
    }
    try {
      out.write(buf.array(), 0, size);
    } catch (IOException e) {
      throw fail(e);
    }
    unsynced.addAll(queue);
    queue = new ArrayList<>();
  }

  /** Records {@code e} as the journal's failure and fails every pending append; under the lock. */
  private RunctlException fail(IOException e) {
    RunctlException err =
        new RunctlException(
            ErrorCategory.STATE,
            "cannot write the journal " + file + ": " + reason(e),
            "free disk space or fix the state folder, then run `runctl resume`",
            e);
    failure = err;
    unsynced.forEach(p -> p.done().completeExceptionally(err));
    queue.forEach(p -> p.done().completeExceptionally(err));
    unsynced = new ArrayList<>();
    queue = new ArrayList<>();
    lock.notifyAll();
    return err;
  }

  /** What went wrong: the exception's message, or its type when it has none. */
  static String reason(IOException e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  /** Appends, syncs at once and waits until the record is on disk. */
  public void appendDurably(JournalRecord record) {
    await(enqueue(record, true, true));
  }

  /** Waits for a future from {@link #append}, even when the waiting thread is interrupted. */
  public static void await(CompletableFuture<Void> durable) {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          durable.get();
          return;
        } catch (InterruptedException e) {
          interrupted = true;
        } catch (ExecutionException e) {
          throw e.getCause() instanceof RuntimeException r
              ? r
              : new RunctlException(ErrorCategory.STATE, e.getMessage(), null, e.getCause());
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** The writer thread: syncs what was written, and writes lazy records nobody came for. */
  private void writeLoop() {
    // One sync per call, not one loop for all: this thread's single long call would never leave
    // the interpreter, a method called once per sync is compiled after the first few.
    while (syncNext()) {
      // next sync
    }
  }

  /** Waits until records are due to be synced and syncs them; false once the journal closed. */
  private boolean syncNext() {
    List<Pending> synced;
    synchronized (lock) {
      long now = System.nanoTime();
      // After a failure both lists stay empty (appends throw), so nothing below is ever due.
      while (true) {
        if (closing || (!queue.isEmpty() && now - oldestLazy >= LAZY_DELAY.toNanos())) {
          try {
            writeQueued();
          } catch (RunctlException e) {
            // recorded as the journal's failure; appends report it
          }
        }
        if (!unsynced.isEmpty() && (closing || syncNow || now - lastSync >= syncIntervalNanos)) {
          break;
        }
        if (closing) {
          return false;
        }
        long lazyIn = queue.isEmpty() ? Long.MAX_VALUE : oldestLazy + LAZY_DELAY.toNanos() - now;
        long syncIn = unsynced.isEmpty() ? Long.MAX_VALUE : lastSync + syncIntervalNanos - now;
        long in = Math.min(lazyIn, syncIn);
        writerTimed = in != Long.MAX_VALUE;
        writerWakes = now + in;
        waitQuietly(in);
        writerTimed = false;
        now = System.nanoTime();
      }
      synced = unsynced;
      unsynced = new ArrayList<>();
      syncNow = false;
      lastSync = now;
    }
    try {
      channel.force(false);
    } catch (IOException e) {
      synchronized (lock) {
        unsynced.addAll(0, synced);
        fail(e);
      }
      return true;
    }
    syncs++;
    for (Pending p : synced) {
      durable(p);
    }
    return true;
  }

  private void durable(Pending p) {
    onDurable.accept(p.record());
    p.done().complete(null);
  }

  /** Waits on the lock for up to {@code nanos} (until notified when Long.MAX_VALUE). */
  private void waitQuietly(long nanos) {
    if (nanos <= 0) {
      return;
    }
    try {
      if (nanos == Long.MAX_VALUE) {
        lock.wait();
      } else {
        lock.wait(nanos / 1_000_000, (int) (nanos % 1_000_000));
      }
    } catch (InterruptedException e) {
      // only close() ends this thread
    }
  }

  /** How many fsyncs the journal made so far (tests). */
  long syncs() {
    return syncs;
  }

  /** Writes what is queued, then closes the file. */
  @Override
  public void close() {
    synchronized (lock) {
      closing = true;
      lock.notifyAll();
    }
    boolean interrupted = false;
    while (writer.isAlive()) { // an interrupted closer still lets the writer finish first
      try {
        writer.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    try {
      out.close();
    } catch (IOException e) {
      // the records were forced already; nothing is lost
    }
  }
}
