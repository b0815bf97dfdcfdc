package dev.runctl.engine.state;

import dev.runctl.engine.RunctlException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;

/**
 * The append-only journal of a live run, with group commit: appends from any thread are queued, and
 * one writer thread writes everything queued so far and fsyncs once for the whole batch. An append
 * returns a future that completes when its record is on disk; {@link #appendDurably} waits for it.
 * A record nobody waits for ({@link #appendLazily}: an attempt's start, its outputs) does not wake
 * the writer: it rides along with the next urgent record, or is written within {@link #LAZY_DELAY},
 * so that a step costs one fsync, shared with the steps that end at the same time. {@code
 * onDurable} sees every record once it is durable, in journal order (the snapshot follows it).
 */
public final class Journal implements AutoCloseable {
  /** How long a lazily appended record may wait for company before it is written anyway. */
  public static final java.time.Duration LAZY_DELAY = java.time.Duration.ofMillis(200);

  private record Pending(JournalRecord record, byte[] line, CompletableFuture<Void> done) {}

  private final Path file;
  private final FileChannel channel;
  private final Consumer<JournalRecord> onDurable;
  private final Object lock = new Object();
  private final Thread writer;
  private List<Pending> queue = new ArrayList<>();
  private boolean closing;
  private boolean urgent;
  private long oldestLazy;
  private RuntimeException failure;

  private Journal(Path file, FileChannel channel, Consumer<JournalRecord> onDurable) {
    this.file = file;
    this.channel = channel;
    this.onDurable = onDurable;
    this.writer = new Thread(this::writeLoop, "runctl-journal");
    writer.setDaemon(true);
    writer.start();
  }

  /** Opens {@code file} for appending (created when missing). */
  public static Journal open(Path file, Consumer<JournalRecord> onDurable) {
    try {
      FileChannel ch =
          FileChannel.open(
              file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
      return new Journal(file, ch, onDurable);
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

  /** Queues a record and wakes the writer; the future completes once it is on disk. */
  public CompletableFuture<Void> append(JournalRecord record) {
    return enqueue(record, true);
  }

  /** Queues a record that nobody waits for: it goes to disk with the next urgent one. */
  public CompletableFuture<Void> appendLazily(JournalRecord record) {
    return enqueue(record, false);
  }

  private CompletableFuture<Void> enqueue(JournalRecord record, boolean now) {
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
      if (now) {
        urgent = true;
        lock.notifyAll();
      } else if (queue.size() == 1) {
        lock.notifyAll();
      }
    }
    return done;
  }

  /** Appends and waits until the record is on disk. */
  public void appendDurably(JournalRecord record) {
    await(append(record));
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
      synchronized (lock) {
        while (!closing && !urgent) {
          long waitNanos =
              queue.isEmpty() ? 0 : oldestLazy + LAZY_DELAY.toNanos() - System.nanoTime();
          if (!queue.isEmpty() && waitNanos <= 0) {
            break;
          }
          try {
            if (queue.isEmpty()) {
              lock.wait();
            } else {
              lock.wait(Math.max(1, waitNanos / 1_000_000));
            }
          } catch (InterruptedException e) {
            // only close() ends this thread
          }
        }
        if (queue.isEmpty()) {
          if (closing) {
            return;
          }
          urgent = false;
          continue;
        }
        batch = queue;
        queue = new ArrayList<>();
        urgent = false;
      }
      write(batch);
    }
  }

  private void write(List<Pending> batch) {
    int size = 0;
    for (Pending p : batch) {
      size += p.line().length;
    }
    ByteBuffer buf = ByteBuffer.allocate(size);
    batch.forEach(p -> buf.put(p.line()));
    buf.flip();
    try {
      while (buf.hasRemaining()) {
        channel.write(buf);
      }
      channel.force(false);
    } catch (IOException e) {
      RunctlException err =
          new RunctlException(
              "cannot write the journal " + file + ": " + e.getMessage(),
              "free disk space or fix the state folder, then run `runctl resume`",
              e);
      synchronized (lock) {
        failure = err;
      }
      batch.forEach(p -> p.done().completeExceptionally(err));
      return;
    }
    for (Pending p : batch) {
      onDurable.accept(p.record());
      p.done().complete(null);
    }
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
