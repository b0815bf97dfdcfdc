package dev.runctl.targets.aws.support;

import dev.runctl.engine.spi.Facts;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Facts kept in memory; share one between two targets to play a resumed run. */
public final class MemoryFacts implements Facts {
  private final Map<String, String> values = new LinkedHashMap<>();

  @Override
  public synchronized Optional<String> get(String key) {
    return Optional.ofNullable(values.get(key));
  }

  @Override
  public synchronized void put(String key, String value) {
    values.put(key, value);
  }

  @Override
  public synchronized Map<String, String> all() {
    return new LinkedHashMap<>(values);
  }
}
