package dev.runctl.engine.spi;

import java.util.List;

/**
 * A store that the run's machines, and later runs' machines, share (the aws target's bucket), for
 * caches that cost time to fill, such as pip wheels. Each field is an argv run on the machine, in
 * which {@code {key}} is replaced by the cache's key (letters, digits, {@code . _ -}) and {@code
 * {dir}} by a folder on the machine: {@code pull} copies the store's folder {@code key} into {@code
 * dir} (nothing when it has none, exit code 0), {@code push} copies {@code dir} there.
 */
public record SharedStore(List<String> pull, List<String> push) {
  public SharedStore {
    pull = List.copyOf(pull);
    push = List.copyOf(push);
  }
}
