package dev.runctl.engine.spec;

import dev.runctl.engine.spi.ConfigNode;
import dev.runctl.engine.spi.ErrorClass;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/** The {@code retry:} fields a spec wrote (step or {@code defaults:}), before defaults apply. */
record RetryFields(
    Optional<Integer> maxAttempts,
    Optional<Duration> initialInterval,
    Optional<Double> backoffCoefficient,
    Optional<Duration> maxInterval,
    Optional<Set<ErrorClass>> on) {

  static final RetryFields NONE =
      new RetryFields(
          Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

  static RetryFields read(Optional<ConfigNode> node, DurationReader durations) {
    Optional<ConfigNode.Mapping> m = Nodes.mapping(node);
    if (m.isEmpty()) {
      return NONE;
    }
    ConfigNode.Mapping r = m.get();
    Optional<Set<ErrorClass>> on = Optional.empty();
    if (r.get("on").isPresent() && r.get("on").get() instanceof ConfigNode.Seq) {
      Set<ErrorClass> classes = EnumSet.noneOf(ErrorClass.class);
      Nodes.strings(r.get("on")).forEach(t -> ErrorClass.fromYaml(t).ifPresent(classes::add));
      on = Optional.of(classes);
    }
    return new RetryFields(
        Nodes.integer(r.get("max_attempts")),
        durations.read(r, "initial_interval"),
        Nodes.number(r.get("backoff_coefficient")).map(n -> n.doubleValue()),
        durations.read(r, "max_interval"),
        on);
  }

  /** This step's fields over {@code defaults}'s, over the built-in defaults. */
  RetrySpec over(RetryFields defaults, int typeMaxAttempts) {
    return new RetrySpec(
        maxAttempts.or(defaults::maxAttempts).orElse(typeMaxAttempts),
        initialInterval.or(defaults::initialInterval).orElse(RetrySpec.DEFAULT_INITIAL_INTERVAL),
        backoffCoefficient.or(defaults::backoffCoefficient).orElse(RetrySpec.DEFAULT_BACKOFF),
        maxInterval.or(defaults::maxInterval).orElse(RetrySpec.DEFAULT_MAX_INTERVAL),
        on.or(defaults::on).orElse(RetrySpec.DEFAULT_ON));
  }

  /** Reads a duration field, reporting a zero duration where one makes no sense. */
  interface DurationReader {
    Optional<Duration> read(ConfigNode.Mapping m, String key);
  }
}
