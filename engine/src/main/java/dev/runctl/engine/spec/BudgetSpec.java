package dev.runctl.engine.spec;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Optional;

/** Guards enforced while a run is live. */
public record BudgetSpec(Optional<Duration> maxDuration, Optional<BigDecimal> maxCost) {
  public static final BudgetSpec NONE = new BudgetSpec(Optional.empty(), Optional.empty());
}
