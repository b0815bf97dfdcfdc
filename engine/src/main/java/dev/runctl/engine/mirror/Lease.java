package dev.runctl.engine.mirror;

import dev.runctl.engine.RunctlException;
import dev.runctl.engine.spi.RemoteState;
import dev.runctl.engine.state.LockHolder;
import dev.runctl.engine.state.RunLockedException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One live runctl per run across machines: the run's lock object in the store, made with a
 * conditional create ({@code If-None-Match: *}) and holding a {@link LeaseRecord} that the holder
 * renews every third of the lease with a write conditional on the tag it last wrote ({@code
 * If-Match}). A lease that was not renewed in time is taken over, conditionally on the tag read, so
 * that of two takers one wins. While held, the same thread looks for a cancel request in the store
 * once a poll and turns it into the run folder's local request, which the run watches.
 */
public final class Lease implements AutoCloseable {
  static final Duration POLL = Duration.ofSeconds(1);
  private final RemoteState remote;
  private final RunKeys keys;
  private final Clock clock;
  private final Optional<LeaseRecord> takenOver;
  private final Instant takenAt;
  private volatile LeaseRecord mine;
  private String etag;
  private Thread thread;
  private volatile boolean closing;
  private volatile boolean lost;

  private Lease(
      RemoteState remote,
      RunKeys keys,
      Clock clock,
      LeaseRecord mine,
      String etag,
      Optional<LeaseRecord> takenOver) {
    this.remote = remote;
    this.keys = keys;
    this.clock = clock;
    this.mine = mine;
    this.etag = etag;
    this.takenOver = takenOver;
    this.takenAt = mine.since();
  }

  /**
   * Takes run {@code runId}'s lease, or throws {@link RunLockedException} naming the live holder
   * and since when it holds the run.
   */
  public static Lease acquire(RemoteState remote, String runId, Duration lease, Clock clock) {
    RunKeys keys = new RunKeys(runId);
    Instant now = clock.instant();
    LockHolder self = LockHolder.self(now);
    LeaseRecord mine = new LeaseRecord(self.pid(), self.host(), now, now, lease);
    for (int attempt = 0; attempt < 3; attempt++) {
      Optional<String> created = remote.create(keys.lock(), mine.encode());
      if (created.isPresent()) {
        return new Lease(remote, keys, clock, mine, created.get(), Optional.empty());
      }
      Optional<RemoteState.Blob> current = remote.get(keys.lock());
      if (current.isEmpty()) {
        continue; // let go of between the two calls: create again
      }
      Optional<LeaseRecord> held = LeaseRecord.decode(current.get().data());
      if (held.isPresent()
          && held.get().liveAt(clock.instant())
          && !held.get().deadHere(self.host())) {
        throw new RunLockedException(runId, Optional.of(held.get().holder()));
      }
      Optional<String> taken = remote.replace(keys.lock(), mine.encode(), current.get().etag());
      if (taken.isPresent()) {
        return new Lease(remote, keys, clock, mine, taken.get(), held);
      }
      // another runctl took it over first: look again, it is live now
    }
    Optional<LeaseRecord> held = remote.get(keys.lock()).flatMap(b -> LeaseRecord.decode(b.data()));
    throw new RunLockedException(runId, held.map(LeaseRecord::holder));
  }

  /**
   * When the lease was taken over from a holder that stopped renewing it: what to tell the user.
   */
  public Optional<String> takeover() {
    return takenOver.map(
        r ->
            "took over run "
                + keys.root().substring(RunKeys.RUNS.length(), keys.root().length() - 1)
                + " from "
                + r.holder().describe()
                + (r.liveAt(takenAt)
                    ? ", which is no longer running on this host"
                    : ", whose lease expired at " + r.expires()));
  }

  /**
   * Renews the lease and polls for a cancel request in the background; {@code cancelFile} is
   * written when one is found, {@code onLost} told when another runctl took the run over.
   */
  public synchronized void keep(Path cancelFile, Consumer<String> onLost) {
    remote.delete(keys.cancelRequest()); // a request made to an earlier holder is not for this one
    thread = new Thread(() -> loop(cancelFile, onLost), "runctl-lease");
    thread.setDaemon(true);
    thread.start();
  }

  private void loop(Path cancelFile, Consumer<String> onLost) {
    Duration renewEvery = mine.lease().dividedBy(3);
    Instant nextRenew = clock.instant().plus(renewEvery);
    boolean cancelSeen = false;
    while (!closing && !lost) {
      try {
        Thread.sleep(Math.min(POLL.toMillis(), renewEvery.toMillis()));
      } catch (InterruptedException e) {
        return;
      }
      if (closing) {
        return;
      }
      try {
        if (!clock.instant().isBefore(nextRenew)) {
          renew(onLost);
          nextRenew = clock.instant().plus(renewEvery);
        }
        if (!cancelSeen && remote.exists(keys.cancelRequest())) {
          cancelSeen = true;
          Files.writeString(cancelFile, "requested through the shared state\n");
        }
      } catch (RunctlException | IOException e) {
        // the store did not answer: try again at the next poll; the lease outlives a few misses
      }
    }
  }

  private synchronized void renew(Consumer<String> onLost) {
    LeaseRecord next = mine.renewedAt(clock.instant());
    Optional<String> tag = remote.replace(keys.lock(), next.encode(), etag);
    if (tag.isPresent()) {
      mine = next;
      etag = tag.get();
      return;
    }
    lost = true;
    String who =
        remote
            .get(keys.lock())
            .flatMap(b -> LeaseRecord.decode(b.data()))
            .map(r -> r.holder().describe())
            .orElse("another runctl");
    onLost.accept(
        "run "
            + keys.root().substring(RunKeys.RUNS.length(), keys.root().length() - 1)
            + " was taken over by "
            + who
            + " (this runctl had not renewed its lease in time)");
  }

  /**
   * Whether this runctl may still act as the holder: not lost, and its last renewal has not
   * expired. A runctl frozen past its lease may have been taken over without knowing it yet, so it
   * ships nothing until a renewal says it still holds the run.
   */
  public boolean fresh() {
    return !lost && clock.instant().isBefore(mine.expires());
  }

  /** Whether another runctl took the run over. */
  public boolean lost() {
    return lost;
  }

  /** Stops renewing and lets go: the cancel request and the lock object are removed. */
  @Override
  public void close() {
    closing = true;
    Thread t;
    synchronized (this) {
      t = thread;
    }
    if (t != null) {
      t.interrupt();
      try {
        t.join(5000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (lost) {
      return;
    }
    try {
      remote.delete(keys.cancelRequest());
      Optional<String> current = remote.get(keys.lock()).map(RemoteState.Blob::etag);
      if (current.isPresent() && current.get().equals(etag)) {
        remote.delete(keys.lock());
      }
    } catch (RunctlException e) {
      // the lease expires by itself; the next runctl takes it over
    }
  }

  /** The live holder of run {@code runId}'s lease, if any. */
  public static Optional<LockHolder> holder(RemoteState remote, String runId, Clock clock) {
    return remote
        .get(new RunKeys(runId).lock())
        .flatMap(b -> LeaseRecord.decode(b.data()))
        .filter(r -> r.liveAt(clock.instant()))
        .map(LeaseRecord::holder);
  }
}
