package dev.runctl.engine.spi;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;

/** A provider's parsed {@code target:} settings. Implementations are records. */
public interface TargetConfig {
  /** The effective settings, defaults applied, in the order plan prints them. */
  Map<String, String> describe();

  /** The hourly price plan checks the budget with (the spot ceiling, the on-demand list price). */
  default Optional<BigDecimal> planPricePerHour() {
    return Optional.empty();
  }

  /**
   * True when the files sync copies pass through a store that exists before any machine does (the
   * aws target's bucket): {@link Target#stage} puts them there while the machine is being made, and
   * {@link Machine#sync} then finds them there.
   */
  default boolean stagesFiles() {
    return false;
  }
}
