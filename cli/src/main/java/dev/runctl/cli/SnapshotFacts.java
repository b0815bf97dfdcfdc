package dev.runctl.cli;

import dev.runctl.engine.spi.Facts;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A run's facts as its state records them, for looking at a run that no runctl holds: a target may
 * read them; what it puts stays in this object and never reaches the run's journal.
 */
final class SnapshotFacts implements Facts {
  private final Map<String, String> facts;

  SnapshotFacts(Map<String, String> recorded) {
    this.facts = new LinkedHashMap<>(recorded);
  }

  @Override
  public synchronized Optional<String> get(String key) {
    return Optional.ofNullable(facts.get(key));
  }

  @Override
  public synchronized void put(String key, String value) {
    facts.put(key, value);
  }

  @Override
  public synchronized Map<String, String> all() {
    return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(facts));
  }
}
