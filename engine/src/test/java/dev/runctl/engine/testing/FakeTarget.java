package dev.runctl.engine.testing;

import dev.runctl.engine.spi.Machine;
import dev.runctl.engine.spi.StepException;
import dev.runctl.engine.spi.StepLog;
import dev.runctl.engine.spi.Target;
import dev.runctl.engine.spi.TargetContext;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A target with behaviour: {@link #provision} makes a {@link FakeMachine} (recorded in the run's
 * facts, found again on a second call, replaced when the machine was interrupted), {@link #destroy}
 * removes it, and with a price per hour {@link #costUntil} grows with the clock from the first
 * provision. Without a provision step {@link #machine} answers with a default machine (like the
 * local target in place).
 */
public final class FakeTarget implements Target {
  private final FakeMachine inPlace = new FakeMachine("in-place");
  private final AtomicInteger made = new AtomicInteger();
  private volatile FakeMachine current;
  private volatile TargetContext context;
  private volatile Instant costStart;
  private volatile BigDecimal pricePerHour;
  private volatile boolean destroyed;
  private volatile java.util.function.Consumer<FakeMachine> onProvision = m -> {};

  /** Called with every machine provision makes, before anything runs on it (to set cues). */
  public FakeTarget onProvision(java.util.function.Consumer<FakeMachine> hook) {
    this.onProvision = hook;
    return this;
  }

  /** Called by {@link FakeTargetProvider#open}. */
  void attach(TargetContext ctx) {
    this.context = ctx;
  }

  public FakeTarget pricePerHour(BigDecimal price) {
    this.pricePerHour = price;
    return this;
  }

  /** The machine steps use without a provision step. */
  public FakeMachine inPlace() {
    return inPlace;
  }

  public Optional<FakeMachine> current() {
    return Optional.ofNullable(current);
  }

  /** How many machines provision has made. */
  public int machinesMade() {
    return made.get();
  }

  public boolean destroyed() {
    return destroyed;
  }

  @Override
  public synchronized Machine provision(StepLog log) {
    if (current != null && current.health() == dev.runctl.engine.spi.Health.ALIVE) {
      log.line("found machine " + current.id());
      return current;
    }
    current = new FakeMachine("fake-" + made.incrementAndGet());
    onProvision.accept(current);
    context.facts().put("fake.machine", current.id());
    if (costStart == null) {
      costStart = context.clock().now();
    }
    log.line("made machine " + current.id());
    return current;
  }

  @Override
  public Machine machine() {
    FakeMachine m = current;
    if (m == null) {
      return inPlace;
    }
    if (m.health() != dev.runctl.engine.spi.Health.ALIVE) {
      throw StepException.interruption("machine " + m.id() + " went away", null);
    }
    return m;
  }

  @Override
  public synchronized void destroy(StepLog log) {
    destroyed = true;
    current = null;
    log.line("destroyed");
  }

  @Override
  public List<String> liveResources() {
    FakeMachine m = current;
    return m == null ? List.of() : List.of(m.id() + " running");
  }

  @Override
  public Optional<BigDecimal> costUntil(Instant now) {
    if (pricePerHour == null || costStart == null) {
      return Optional.empty();
    }
    BigDecimal hours =
        BigDecimal.valueOf(Duration.between(costStart, now).toMillis())
            .divide(BigDecimal.valueOf(3_600_000L), 6, RoundingMode.HALF_UP);
    return Optional.of(pricePerHour.multiply(hours).setScale(2, RoundingMode.HALF_UP));
  }
}
