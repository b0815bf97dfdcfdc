package dev.runctl.engine.plan;

import dev.runctl.engine.spec.BudgetSpec;
import dev.runctl.engine.spec.JobSpec;
import dev.runctl.engine.spi.Diagnostics;
import dev.runctl.engine.spi.Durations;
import dev.runctl.engine.spi.Position;
import dev.runctl.engine.spi.TargetConfig;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Optional;

/**
 * What the budget implies at the target's plan price: the cost of running for {@code max_duration},
 * warned about when it exceeds {@code max_cost}, or when a priced target has no budget at all.
 */
public final class BudgetCheck {
  private BudgetCheck() {}

  /** The cost of {@code duration} at {@code pricePerHour}, in USD rounded to cents. */
  public static BigDecimal cost(BigDecimal pricePerHour, Duration duration) {
    return pricePerHour
        .multiply(BigDecimal.valueOf(duration.getSeconds()))
        .divide(BigDecimal.valueOf(3600), 2, RoundingMode.HALF_UP);
  }

  /** The worst-case cost the budget allows at the plan price, when both are known. */
  public static Optional<BigDecimal> maxDurationCost(JobSpec job, TargetConfig target) {
    Optional<BigDecimal> price = target.planPricePerHour();
    Optional<Duration> max = job.budget().maxDuration();
    return price.isPresent() && max.isPresent()
        ? Optional.of(cost(price.get(), max.get()))
        : Optional.empty();
  }

  static void check(JobSpec job, TargetConfig target, Diagnostics d) {
    Optional<BigDecimal> price = target.planPricePerHour();
    if (price.isEmpty()) {
      return;
    }
    if (job.isSweep()) {
      SweepBudget.check(job, target, d);
      return;
    }
    BudgetSpec budget = job.budget();
    Position at = job.target().position();
    if (budget.maxDuration().isEmpty() && budget.maxCost().isEmpty()) {
      d.warning(
          at,
          "no budget: at $" + price.get().toPlainString() + "/h nothing limits what this run costs",
          "add budget: {max_duration: 6h, max_cost: 25} so that a hung or forgotten run is stopped");
      return;
    }
    Optional<BigDecimal> implied = maxDurationCost(job, target);
    if (implied.isPresent()
        && budget.maxCost().isPresent()
        && implied.get().compareTo(budget.maxCost().get()) > 0) {
      d.warning(
          at,
          "budget: "
              + Durations.format(budget.maxDuration().get())
              + " at $"
              + price.get().toPlainString()
              + "/h costs up to $"
              + implied.get().toPlainString()
              + ", more than max_cost $"
              + budget.maxCost().get().toPlainString(),
          "the run is stopped when it reaches max_cost, before max_duration; raise max_cost or"
              + " lower max_duration if that is not what you want");
    }
  }
}
