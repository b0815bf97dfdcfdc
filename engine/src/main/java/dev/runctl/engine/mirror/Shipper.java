package dev.runctl.engine.mirror;

import dev.runctl.engine.RunctlException;
import dev.runctl.engine.spi.RemoteState;
import dev.runctl.engine.state.RunFolder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Copies what a live run writes locally to the store, in the background, so that no step ever waits
 * for the store. Each pass, every {@code interval}: the run folder's whole files that changed (the
 * frozen spec, overrides, the report), one {@link Pack} with what the step logs and metrics gained,
 * one journal segment with the complete lines the journal gained, then the snapshot and the
 * artifacts' index when they changed; the ledger records each. Nothing is sent twice; a pass that
 * fails leaves the rest for the next one. {@link #close} makes a last pass after the run has
 * written its last record.
 */
public final class Shipper implements AutoCloseable {
  private static final int MAX_PASS_BYTES = 8 << 20;
  private static final Duration CLOSE_LIMIT = Duration.ofSeconds(60);
  private final RemoteState remote;
  private final RunFolder folder;
  private final RunKeys keys;
  private final Ledger ledger;
  private final Duration interval;
  private final Consumer<String> warn;
  private final Map<String, String> stamps = new HashMap<>();
  private final Thread thread;
  private final Object wake = new Object();
  private volatile boolean closing;
  private boolean warned;
  private volatile boolean stopped;
  private final BooleanSupplier held;

  private Shipper(
      RemoteState remote,
      RunFolder folder,
      Ledger ledger,
      Duration interval,
      Consumer<String> warn,
      BooleanSupplier held) {
    this.held = held;
    this.remote = remote;
    this.folder = folder;
    this.keys = new RunKeys(folder.runId());
    this.ledger = ledger;
    this.interval = interval;
    this.warn = warn;
    this.thread = new Thread(this::loop, "runctl-shipper");
    thread.setDaemon(true);
  }

  /** Starts shipping {@code folder}, whose ledger says what the store holds already. */
  static Shipper start(
      RemoteState remote, RunFolder folder, Duration interval, Consumer<String> warn) {
    return start(remote, folder, interval, warn, () -> true);
  }

  /**
   * As {@link #start(RemoteState, RunFolder, Duration, Consumer)}, shipping only while {@code held}
   * says that this runctl still holds the run (a pass is skipped otherwise).
   */
  static Shipper start(
      RemoteState remote,
      RunFolder folder,
      Duration interval,
      Consumer<String> warn,
      BooleanSupplier held) {
    Shipper s = new Shipper(remote, folder, Ledger.load(folder), interval, warn, held);
    s.thread.start();
    return s;
  }

  private void loop() {
    while (!closing) {
      pass();
      synchronized (wake) {
        if (!closing) {
          try {
            wake.wait(interval.toMillis());
          } catch (InterruptedException e) {
            return;
          }
        }
      }
    }
    // the last pass: the run has closed its journal; what is left goes until it is all there
    for (int i = 0; i < 5 && !stopped; i++) {
      if (pass()) {
        return;
      }
      try {
        Thread.sleep(500L << i);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** Stops shipping for good, without a last pass (the run's lease was lost to another runctl). */
  void stop() {
    stopped = true;
    closing = true;
    synchronized (wake) {
      wake.notifyAll();
    }
  }

  /**
   * One pass; true when everything written so far is in the store. Synchronized: the last pass
   * never overlaps a regular one.
   */
  synchronized boolean pass() {
    if (stopped || !held.getAsBoolean()) {
      return false;
    }
    try {
      for (String f : RunFiles.whole(folder)) {
        shipWhole(f, folder.dir().resolve(f));
      }
      boolean all = shipGrowing();
      all &= shipJournal();
      shipWhole(RunFiles.SNAPSHOT, folder.snapshot());
      shipIndex();
      ledger.save();
      warned = false;
      return all;
    } catch (RunctlException e) {
      ledger.save();
      if (!warned) {
        warned = true;
        warn.accept(
            "cannot ship run "
                + folder.runId()
                + " to the shared state now ("
                + e.getMessage()
                + "); it is kept locally and shipped once the store answers");
      }
      return false;
    }
  }

  private void shipWhole(String name, Path file) {
    if (!Files.isRegularFile(file)) {
      return;
    }
    String stamp;
    byte[] data;
    try {
      stamp = Files.size(file) + "@" + Files.getLastModifiedTime(file).toMillis();
      if (stamp.equals(stamps.get(name))) {
        return;
      }
      data = Files.readAllBytes(file);
    } catch (IOException e) {
      return; // replaced while read: the next pass sees the new one
    }
    ledger.tag(name, remote.put(keys.file(name), data));
    stamps.put(name, stamp);
  }

  private void shipIndex() {
    byte[] index = RunFiles.artifactsIndex(folder);
    String stamp = Integer.toHexString(Arrays.hashCode(index)) + ":" + index.length;
    if (index.length == 0 || stamp.equals(stamps.get(RunFiles.ARTIFACTS_INDEX))) {
      return;
    }
    ledger.tag(RunFiles.ARTIFACTS_INDEX, remote.put(keys.file(RunFiles.ARTIFACTS_INDEX), index));
    stamps.put(RunFiles.ARTIFACTS_INDEX, stamp);
  }

  /** One pack with what the logs and metrics gained; true when nothing was left for later. */
  private boolean shipGrowing() {
    List<Pack.Entry> entries = new ArrayList<>();
    int budget = MAX_PASS_BYTES;
    boolean all = true;
    for (String f : RunFiles.growing(folder)) {
      long shipped = ledger.offset(f);
      long size = size(folder.dir().resolve(f));
      if (size == shipped || size < 0) {
        continue;
      }
      long from = size < shipped ? 0 : shipped; // rewritten: start it over
      if (budget <= 0) {
        all = false;
        break;
      }
      int n = (int) Math.min(size - from, budget);
      byte[] data = read(folder.dir().resolve(f), from, n);
      if (data.length == 0) {
        continue;
      }
      budget -= data.length;
      all &= from + data.length == size;
      entries.add(new Pack.Entry(f, from, data));
    }
    if (entries.isEmpty()) {
      return all;
    }
    long seq = ledger.pack() + 1;
    remote.put(keys.pack(seq), new Pack(entries).encode());
    ledger.pack(seq);
    entries.forEach(e -> ledger.offset(e.path(), e.offset() + e.data().length));
    return all;
  }

  /** One segment with the complete lines the journal gained. */
  private boolean shipJournal() {
    long shipped = ledger.journal();
    long size = size(folder.journal());
    if (size <= shipped) {
      return true;
    }
    int n = (int) Math.min(size - shipped, MAX_PASS_BYTES);
    byte[] data = read(folder.journal(), shipped, n);
    int end = data.length;
    while (end > 0 && data[end - 1] != '\n') {
      end--; // a line still being written goes with the next pass
    }
    if (end == 0) {
      return false;
    }
    remote.put(keys.segment(shipped), end == data.length ? data : Arrays.copyOf(data, end));
    ledger.journal(shipped + end);
    return shipped + end == size;
  }

  private static long size(Path f) {
    try {
      return Files.size(f);
    } catch (IOException e) {
      return -1;
    }
  }

  private static byte[] read(Path f, long from, int n) {
    ByteBuffer buf = ByteBuffer.allocate(n);
    try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
      while (buf.hasRemaining()) {
        if (ch.read(buf, from + buf.position()) < 0) {
          break;
        }
      }
    } catch (IOException e) {
      return new byte[0];
    }
    return Arrays.copyOf(buf.array(), buf.position());
  }

  /** Makes the last pass (waiting for it up to a minute) and stops. */
  @Override
  public void close() {
    closing = true;
    synchronized (wake) {
      wake.notifyAll();
    }
    try {
      thread.join(CLOSE_LIMIT.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) {
      warn.accept(
          "run "
              + folder.runId()
              + " is not all in the shared state yet; `runctl resume "
              + folder.runId()
              + "` from this machine ships the rest");
    }
  }
}
