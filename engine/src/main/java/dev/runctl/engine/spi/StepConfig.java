package dev.runctl.engine.spi;

import java.util.List;
import java.util.Map;

/** A step type's own settings, parsed from {@code with:}. Implementations are records. */
public interface StepConfig {

  /** Paths relative to the workdir that this step needs on the machine; sync checks them. */
  default List<String> requiredPaths() {
    return List.of();
  }

  /** The effective settings, defaults applied, in the order plan prints them. */
  Map<String, String> describe();
}
