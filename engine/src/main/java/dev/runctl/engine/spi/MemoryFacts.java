package dev.runctl.engine.spi;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Facts kept in this object only, never journaled: for looking at a run that no runctl process
 * holds (a target may read the facts its state recorded; what it puts goes nowhere), and for tests.
 * Thread-safe.
 */
public final class MemoryFacts implements Facts {
  private final Map<String, String> facts;

  public MemoryFacts() {
    this(Map.of());
  }

  /** Starts from {@code recorded}, in its order. */
  public MemoryFacts(Map<String, String> recorded) {
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
    return Collections.unmodifiableMap(new LinkedHashMap<>(facts));
  }
}
