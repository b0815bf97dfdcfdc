package dev.runctl.engine.mirror;

import dev.runctl.engine.state.LockHolder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;

/**
 * The content of a run's lock object: who holds the run (pid, host, since when), when the holder
 * last renewed its lease and for how long it holds.
 */
record LeaseRecord(long pid, String host, Instant since, Instant renewed, Duration lease) {
  Instant expires() {
    return renewed.plus(lease);
  }

  boolean liveAt(Instant now) {
    return now.isBefore(expires());
  }

  /**
   * Whether the holder was a process of this host that is gone: no process has its pid, or the one
   * that has it started after the holder took the run (the pid was reused).
   */
  boolean deadHere(String thisHost) {
    if (!host.equals(thisHost)) {
      return false;
    }
    Optional<ProcessHandle> p = ProcessHandle.of(pid);
    if (p.isEmpty() || !p.get().isAlive()) {
      return true;
    }
    return p.get().info().startInstant().map(started -> started.isAfter(since)).orElse(false);
  }

  LockHolder holder() {
    return new LockHolder(pid, host, since);
  }

  LeaseRecord renewedAt(Instant now) {
    return new LeaseRecord(pid, host, since, now, lease);
  }

  byte[] encode() {
    return ("pid="
            + pid
            + "\nhost="
            + host
            + "\nsince="
            + since
            + "\nrenewed="
            + renewed
            + "\nlease="
            + lease
            + "\n")
        .getBytes(StandardCharsets.UTF_8);
  }

  /** The record in {@code data}; empty when it is not one (then it is treated as expired). */
  static Optional<LeaseRecord> decode(byte[] data) {
    Properties p = new Properties();
    try {
      p.load(new java.io.StringReader(new String(data, StandardCharsets.UTF_8)));
      return Optional.of(
          new LeaseRecord(
              Long.parseLong(p.getProperty("pid")),
              p.getProperty("host"),
              Instant.parse(p.getProperty("since")),
              Instant.parse(p.getProperty("renewed")),
              Duration.parse(p.getProperty("lease"))));
    } catch (java.io.IOException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
