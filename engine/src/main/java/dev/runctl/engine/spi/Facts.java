package dev.runctl.engine.spi;

import java.util.Map;
import java.util.Optional;

/**
 * Durable, run-scoped facts: what a step or target must find again after runctl crashes (an
 * instance id the moment AWS returns it, a training process's handle). {@link #put} returns only
 * once the fact is in the journal on disk. Keys are chosen by the writer, e.g. {@code
 * aws.instance.1} or {@code train.<step-id>.handle}.
 */
public interface Facts {
  Optional<String> get(String key);

  void put(String key, String value);

  /** Every fact, in the order first recorded. */
  Map<String, String> all();
}
