package dev.runctl.cli;

import dev.runctl.engine.plan.Plan;
import dev.runctl.engine.plan.SweepBudget;
import dev.runctl.engine.spec.MatrixSpec;
import dev.runctl.engine.spi.Durations;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/** What {@code runctl plan} adds for a sweep: its combinations and what the sweep costs. */
record SweepPlan(
    List<Map<String, String>> combinations,
    int maxParallel,
    boolean failFast,
    String pricePerHour,
    String maxDuration,
    String perChild,
    String total,
    String maxCost,
    String childMaxCost)
    implements CliEvent {

  static List<CliEvent> of(Plan plan) {
    if (!plan.job().isSweep()) {
      return List.of();
    }
    MatrixSpec m = plan.job().matrix().orElseThrow();
    SweepBudget b = SweepBudget.of(plan.job(), plan.targetConfig());
    List<Map<String, String>> combinations = m.combinations();
    return List.of(
        new SweepPlan(
            combinations,
            m.maxParallel(),
            m.failFast(),
            money(b.pricePerHour()),
            plan.job().budget().maxDuration().map(Durations::format).orElse(null),
            money(b.perChild()),
            money(b.total()),
            money(b.maxCost()),
            money(SweepBudget.share(plan.job().budget(), combinations.size()).maxCost())));
  }

  /** USD as written ({@code "4.80"}), as {@code runs} writes a cost. */
  private static String money(java.util.Optional<BigDecimal> usd) {
    return usd.map(BigDecimal::toPlainString).orElse(null);
  }

  public String type() {
    return "sweep_plan";
  }

  public String text() {
    StringBuilder b =
        new StringBuilder("\nsweep    ")
            .append(combinations.size())
            .append(combinations.size() == 1 ? " combination" : " combinations")
            .append(", at most ")
            .append(maxParallel)
            .append(" at once")
            .append(failFast ? ", fail_fast (one failure cancels the others)" : "");
    for (int i = 0; i < combinations.size(); i++) {
      b.append("\n  ").append(i + 1).append("  ").append(MatrixSpec.describe(combinations.get(i)));
    }
    if (total != null) {
      b.append("\nsweep budget  ")
          .append(combinations.size())
          .append(" x ")
          .append(maxDuration)
          .append(" at $")
          .append(pricePerHour)
          .append("/h = up to $")
          .append(total);
      if (maxCost != null) {
        b.append(" of max_cost $").append(maxCost);
      }
    }
    if (childMaxCost != null) {
      b.append("\neach child  max_cost $")
          .append(childMaxCost)
          .append(" (the sweep's max_cost shared by its children)");
    }
    return b.toString();
  }
}
