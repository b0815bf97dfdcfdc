package dev.runctl.engine.spi;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Where a run's state is kept besides the local state folder: the spec's {@code state:} or the
 * {@code RUNCTL_STATE} variable. {@code settings} are the backend's own keys as text ({@code
 * backend} and {@code lease} left out); {@code origin} says where it was set, for messages ("the
 * spec's state: at job.yaml:4:3", "RUNCTL_STATE").
 */
public record StateRef(
    String backend, Map<String, String> settings, Optional<Duration> lease, String origin) {
  /** The lease of a spec that names none. */
  public static final Duration DEFAULT_LEASE = Duration.ofSeconds(30);

  public StateRef {
    settings = Map.copyOf(settings);
  }

  public Duration leaseOrDefault() {
    return lease.orElse(DEFAULT_LEASE);
  }
}
