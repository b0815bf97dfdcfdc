package dev.runctl.engine.exec;

import dev.runctl.engine.spec.BudgetSpec;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What stops a live run from outside its steps: a cancel request (Ctrl+C through {@link
 * RunControl}, {@code runctl cancel} through the run folder's request file, checked once per tick)
 * and the budget ({@code max_duration} over the run's live time, {@code max_cost} from the target's
 * price, asked at most once a second).
 */
final class RunGuards {
  /** Why the run stops; {@code budget} when a budget was exceeded (the run then failed). */
  record Stop(String reason, boolean budget) {}

  private final RunScope scope;
  private final RunControl control;
  private final Duration tick;
  private final Duration liveBefore;
  private final Instant processStart;
  private Instant lastCostCheck = Instant.EPOCH;
  private long lastCancelCheck;

  RunGuards(RunScope scope, RunControl control, Duration tick, Duration liveBefore) {
    this.scope = scope;
    this.control = control;
    this.tick = tick;
    this.liveBefore = liveBefore;
    this.processStart = scope.clock.now();
  }

  Optional<Stop> check() {
    if (control.cancelled()) {
      return Optional.of(new Stop(control.reason().orElse("cancelled"), false));
    }
    long nanos = System.nanoTime();
    if (nanos - lastCancelCheck >= tick.toNanos()) {
      lastCancelCheck = nanos;
      if (Files.exists(scope.folder.cancelRequest())) {
        control.cancel("cancelled by `runctl cancel`");
        return Optional.of(new Stop("cancelled by `runctl cancel`", false));
      }
    }
    Instant now = scope.clock.now();
    BudgetSpec budget = scope.plan.job().budget();
    Duration live = liveBefore.plus(Duration.between(processStart, now));
    if (budget.maxDuration().isPresent() && live.compareTo(budget.maxDuration().get()) > 0) {
      return Optional.of(
          new Stop(
              "budget max_duration " + Failure.human(budget.maxDuration().get()) + " exceeded",
              true));
    }
    if (budget.maxCost().isPresent()
        && Duration.between(lastCostCheck, now).compareTo(Duration.ofSeconds(1)) >= 0) {
      lastCostCheck = now;
      Optional<BigDecimal> cost = scope.target.costUntil(now);
      if (cost.isPresent() && cost.get().compareTo(budget.maxCost().get()) > 0) {
        return Optional.of(
            new Stop(
                "budget max_cost $"
                    + budget.maxCost().get()
                    + " exceeded (spent $"
                    + cost.get()
                    + ")",
                true));
      }
    }
    return Optional.empty();
  }
}
