package dev.runctl.engine.state;

import dev.runctl.engine.RunctlException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;

/**
 * The append-only journal of a live run, with group commit. Appends from any thread are queued; one
 * writer thread writes them in order and fsyncs. Writing and syncing are paced apart:
 *
 * <ul>
 *   <li>An urgent record ({@link #append}: a step's end) is written at once, so that a crash of
 *       runctl itself (kill -9 included) cannot lose it: the operating system holds it.
 *   <li>The fsync that protects against a crash of the machine follows at once after a quiet spell,
 *       and otherwise within {@link #SYNC_INTERVAL} of the previous one: a burst of step ends, as a
 *       thousand tiny steps make, shares one fsync per interval instead of paying one each.
 *   <li>{@link #appendDurably} (a machine created, a run started or ended) is synced at once.
 *   <li>A record nobody waits for ({@link #appendLazily}: an attempt's start, its outputs) does not
 *       wake the writer: it rides along with the next urgent record, or is written within {@link
 *       #LAZY_DELAY}.
 * </ul>
 *
 * <p>An append returns a future that completes once its record is synced. {@code onDurable} sees
 * every record once it is synced, in journal order (the snapshot follows it).
 */
public final class Journal implements AutoCloseable {
  /** How long a lazily appended record may wait for company before it is written anyway. */
  public static final Duration LAZY_DELAY = Duration.ofMillis(200);

  /** At most one fsync per this interval while records keep coming; see the class comment. */
  public static final Duration SYNC_INTERVAL = Duration.ofMillis(10);

  private record Pending(JournalRecord record, byte[] line, CompletableFuture<Void> done) {}

  private final Path file;
  private final FileChannel channel;
  private final Consumer<JournalRecord> onDurable;
  private final long syncIntervalNanos;
  private final Object lock = new Object();
  private final Thread writer;
  private List<Pending> queue = new ArrayList<>();
  private boolean closing;
  private boolean urgent;
  private boolean syncNow;
  private long oldestLazy;
  private RuntimeException failure;
  // the writer thread's own: written but not yet synced, and when it last synced
  private final List<Pending> unsynced = new ArrayList<>();
  private long lastSync = System.nanoTime() - Long.MAX_VALUE / 4;
  private volatile long syncs;

  private Journal(
      Path file, FileChannel channel, Consumer<JournalRecord> onDurable, Duration syncInterval) {
    this.file = file;
    this.channel = channel;
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
      FileChannel ch =
          FileChannel.open(
              file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
      return new Journal(file, ch, onDurable, syncInterval);
    } catch (IOException e) {
      throw new RunctlException(
          "cannot open the journal " + file + ": " + e.getMessage(),
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
      if (sync) {
        syncNow = true;
      }
      if (now) {
        urgent = true;
        lock.notifyAll();
      } else if (queue.size() == 1) {
        lock.notifyAll();
      }
    }
    return done;
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
              : new RunctlException(e.getMessage());
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void writeLoop() {
    while (true) {
      List<Pending> batch;
      boolean sync;
      synchronized (lock) {
        long now = System.nanoTime();
        while (!closing && !urgent && !syncNow) {
          long lazyIn = queue.isEmpty() ? Long.MAX_VALUE : oldestLazy + LAZY_DELAY.toNanos() - now;
          long syncIn = unsynced.isEmpty() ? Long.MAX_VALUE : lastSync + syncIntervalNanos - now;
          long waitNanos = Math.min(lazyIn, syncIn);
          if (waitNanos <= 0) {
            break;
          }
          try {
            if (waitNanos == Long.MAX_VALUE) {
              lock.wait();
            } else {
              lock.wait(waitNanos / 1_000_000, (int) (waitNanos % 1_000_000));
            }
          } catch (InterruptedException e) {
            // only close() ends this thread
          }
          now = System.nanoTime();
        }
        batch = queue;
        queue = new ArrayList<>();
        urgent = false;
        sync = closing || syncNow || now - lastSync >= syncIntervalNanos;
        syncNow = false;
        if (closing && batch.isEmpty() && unsynced.isEmpty()) {
          return;
        }
      }
      write(batch, sync);
    }
  }

  private void write(List<Pending> batch, boolean sync) {
    try {
      if (!batch.isEmpty()) {
        int size = 0;
        for (Pending p : batch) {
          size += p.line().length;
        }
        ByteBuffer buf = ByteBuffer.allocate(size);
        batch.forEach(p -> buf.put(p.line()));
        buf.flip();
        while (buf.hasRemaining()) {
          channel.write(buf);
        }
        unsynced.addAll(batch);
      }
      if (!sync || unsynced.isEmpty()) {
        return;
      }
      channel.force(false);
      lastSync = System.nanoTime();
      syncs++;
    } catch (IOException e) {
      RunctlException err =
          new RunctlException(
              "cannot write the journal " + file + ": " + e.getMessage(),
              "free disk space or fix the state folder, then run `runctl resume`",
              e);
      synchronized (lock) {
        failure = err;
      }
      unsynced.forEach(p -> p.done().completeExceptionally(err));
      batch.forEach(p -> p.done().completeExceptionally(err));
      unsynced.clear();
      return;
    }
    for (Pending p : unsynced) {
      onDurable.accept(p.record());
      p.done().complete(null);
    }
    unsynced.clear();
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
    try {
      writer.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      channel.close();
    } catch (IOException e) {
      // the records were forced already; nothing is lost
    }
  }
}
