package dev.runctl.targets.aws;

import dev.runctl.engine.spi.Facts;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * What the aws target keeps in the run's journal: every instance it ever launched (for teardown,
 * destroy and {@code runs}), the current one, and each one's launch time, price and market. Written
 * the moment AWS answers, before anything else happens.
 */
final class RunFacts {
  private static final String ALL = "aws.instances";
  private static final String CURRENT = "aws.instance.current";
  private final Facts facts;

  RunFacts(Facts facts) {
    this.facts = facts;
  }

  /** Records a new instance: the id first, then its details. */
  void launched(String instanceId, Instant at, BigDecimal pricePerHour, String market) {
    List<String> all = new ArrayList<>(instances());
    if (!all.contains(instanceId)) {
      all.add(instanceId);
      facts.put(ALL, String.join(",", all));
    }
    facts.put(CURRENT, instanceId);
    facts.put(key(instanceId, "launched"), at.toString());
    facts.put(key(instanceId, "price"), pricePerHour.toPlainString());
    facts.put(key(instanceId, "market"), market);
  }

  /**
   * Journals one launch attempt: which candidate, and what AWS said ("spot g5.xlarge in us-east-1a:
   * InsufficientInstanceCapacity", "...: launched i-0abc at $0.30/h").
   */
  void attempt(String text) {
    int n = attempts().size() + 1;
    facts.put("aws.attempt." + n, text);
  }

  /** Every launch attempt journaled, in order. */
  List<String> attempts() {
    List<String> out = new ArrayList<>();
    for (int n = 1; facts.get("aws.attempt." + n).isPresent(); n++) {
      out.add(facts.get("aws.attempt." + n).get());
    }
    return out;
  }

  /** Every instance this run launched, in order. */
  List<String> instances() {
    return facts
        .get(ALL)
        .filter(s -> !s.isBlank())
        .map(s -> Arrays.asList(s.split(",")))
        .orElse(List.of());
  }

  Optional<String> current() {
    return facts.get(CURRENT).filter(s -> !s.isBlank());
  }

  void ended(String instanceId, Instant at) {
    if (facts.get(key(instanceId, "ended")).isEmpty()) {
      facts.put(key(instanceId, "ended"), at.toString());
    }
  }

  boolean isEnded(String instanceId) {
    return facts.get(key(instanceId, "ended")).isPresent();
  }

  void bucketChecked(String instanceId, boolean ok) {
    facts.put(key(instanceId, "bucket_ok"), Boolean.toString(ok));
  }

  boolean bucketChecked(String instanceId) {
    return facts.get(key(instanceId, "bucket_ok")).map(Boolean::parseBoolean).orElse(false);
  }

  void home(String instanceId, String home) {
    facts.put(key(instanceId, "home"), home);
  }

  Optional<String> home(String instanceId) {
    return facts.get(key(instanceId, "home"));
  }

  Optional<BigDecimal> price(String instanceId) {
    return facts.get(key(instanceId, "price")).map(BigDecimal::new);
  }

  Optional<Instant> launchedAt(String instanceId) {
    return facts.get(key(instanceId, "launched")).map(Instant::parse);
  }

  Optional<String> market(String instanceId) {
    return facts.get(key(instanceId, "market"));
  }

  /** Price times the time each instance was up (launch to end, or to {@code now}). */
  Optional<BigDecimal> costUntil(Instant now) {
    BigDecimal total = BigDecimal.ZERO;
    boolean any = false;
    for (String id : instances()) {
      Optional<Instant> from = facts.get(key(id, "launched")).map(Instant::parse);
      Optional<BigDecimal> price = price(id);
      if (from.isEmpty() || price.isEmpty()) {
        continue;
      }
      Instant to = facts.get(key(id, "ended")).map(Instant::parse).orElse(now);
      total = total.add(costOf(price.get(), Duration.between(from.get(), to)));
      any = true;
    }
    return any ? Optional.of(total) : Optional.empty();
  }

  /** What {@code up} of an instance at {@code pricePerHour} costs, to a hundredth of a cent. */
  static BigDecimal costOf(BigDecimal pricePerHour, Duration up) {
    return pricePerHour
        .multiply(BigDecimal.valueOf(Math.max(0, up.getSeconds())))
        .divide(BigDecimal.valueOf(3600), 4, java.math.RoundingMode.HALF_UP);
  }

  private static String key(String instanceId, String what) {
    return "aws.instance." + instanceId + "." + what;
  }
}
