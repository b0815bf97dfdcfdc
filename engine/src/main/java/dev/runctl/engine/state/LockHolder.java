package dev.runctl.engine.state;

import java.time.Instant;

/** Who holds (or last held) a run's lock. */
public record LockHolder(long pid, String host, Instant since) {
  public String describe() {
    return "pid " + pid + " on " + host + " since " + since;
  }

  String encode() {
    return pid + "\n" + host + "\n" + since + "\n";
  }

  static java.util.Optional<LockHolder> decode(String text) {
    String[] parts = text.split("\n");
    if (parts.length < 3) {
      return java.util.Optional.empty();
    }
    try {
      return java.util.Optional.of(
          new LockHolder(
              Long.parseLong(parts[0].trim()), parts[1].trim(), Instant.parse(parts[2])));
    } catch (RuntimeException e) {
      return java.util.Optional.empty();
    }
  }

  public static LockHolder self(Instant now) {
    return new LockHolder(ProcessHandle.current().pid(), hostName(), now);
  }

  static String hostName() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      return System.getenv().getOrDefault("HOSTNAME", "localhost");
    }
  }
}
