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
 * A sweep's budget is the total of its children: each child runs with an equal share of {@code
 * max_cost}, and a sweep whose combinations cannot all run for {@code max_duration} at the target's
 * price within {@code max_cost} is refused, with the figures.
 *
 * @param children how many combinations
 * @param pricePerHour the target's plan price, when it has one
 * @param perChild what one child costs running for max_duration at that price, when both are known
 * @param total {@code perChild} times {@code children}
 * @param maxCost the sweep's max_cost, when set
 */
public record SweepBudget(
    int children,
    Optional<BigDecimal> pricePerHour,
    Optional<BigDecimal> perChild,
    Optional<BigDecimal> total,
    Optional<BigDecimal> maxCost) {

  /** The figures of a sweep of {@code job} (a spec with a matrix) on {@code target}. */
  public static SweepBudget of(JobSpec job, TargetConfig target) {
    int n = job.matrix().map(m -> m.combinations().size()).orElse(1);
    Optional<BigDecimal> perChild = BudgetCheck.maxDurationCost(job, target);
    return new SweepBudget(
        n,
        target.planPricePerHour(),
        perChild,
        perChild.map(c -> c.multiply(BigDecimal.valueOf(n))),
        job.budget().maxCost());
  }

  /** True when the sweep's worst case is known and exceeds max_cost. */
  public boolean overBudget() {
    return total.isPresent() && maxCost.isPresent() && total.get().compareTo(maxCost.get()) > 0;
  }

  /**
   * One child's budget: the sweep's max_duration, and max_cost divided evenly over the children
   * (rounded down to the cent).
   */
  public static BudgetSpec share(BudgetSpec sweep, int children) {
    return new BudgetSpec(
        sweep.maxDuration(),
        sweep.maxCost().map(c -> c.divide(BigDecimal.valueOf(children), 2, RoundingMode.DOWN)));
  }

  static void check(JobSpec job, TargetConfig target, Diagnostics d) {
    SweepBudget b = of(job, target);
    Position at = job.matrix().get().position();
    String price = b.pricePerHour.map(BigDecimal::toPlainString).orElse("?");
    BudgetSpec budget = job.budget();
    if (budget.maxDuration().isEmpty() && budget.maxCost().isEmpty()) {
      d.warning(
          at,
          "no budget: "
              + b.children
              + " children at $"
              + price
              + "/h each, and nothing limits what this sweep costs",
          "add budget: {max_duration: 6h, max_cost: 100}; for a sweep it is the total of its"
              + " children");
      return;
    }
    if (!b.overBudget()) {
      return;
    }
    Duration max = budget.maxDuration().get();
    BigDecimal fits = b.maxCost.get().divide(b.perChild.get(), 0, RoundingMode.DOWN);
    d.error(
        at,
        "the sweep cannot fit its budget: "
            + b.children
            + " combinations x "
            + Durations.format(max)
            + " at $"
            + price
            + "/h = $"
            + b.total.get().toPlainString()
            + ", more than max_cost $"
            + b.maxCost.get().toPlainString()
            + " (the budget of a sweep is its children's total)",
        "raise max_cost to $"
            + b.total.get().toPlainString()
            + ", lower max_duration, or leave combinations out (exclude:): "
            + fits
            + " of them fit");
  }
}
