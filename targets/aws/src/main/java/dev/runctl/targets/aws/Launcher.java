package dev.runctl.targets.aws;

import dev.runctl.engine.spi.StepException;
import dev.runctl.engine.spi.StepLog;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Instance;

/**
 * RunInstances over the candidates (type x subnet or zone) as {@code market} says: on-demand; spot
 * (a capacity or price failure moves to the next candidate, never to on-demand); or spot on every
 * candidate, then on-demand, announced with both hourly prices. Each failed candidate is journaled
 * with its reason; the instance id goes into the run's facts before anything else happens.
 */
final class Launcher {
  /** Codes that say "not here, not now": the next candidate may do. */
  private static final List<String> NO_CAPACITY =
      List.of(
          "InsufficientInstanceCapacity",
          "InsufficientCapacity",
          "InsufficientHostCapacity",
          "SpotMaxPriceTooLow",
          "MaxSpotInstanceCountExceeded",
          "Unsupported");

  private final Ec2Client ec2;
  private final AwsConfig config;
  private final String region;
  private final RunFacts facts;
  private final Map<String, String> tags;
  private final Consumer<String> warnings;
  private final SpotPrices spotPrices;

  Launcher(
      Ec2Client ec2,
      AwsConfig config,
      String region,
      RunFacts facts,
      Map<String, String> tags,
      Consumer<String> warnings) {
    this.ec2 = ec2;
    this.config = config;
    this.region = region;
    this.facts = facts;
    this.tags = tags;
    this.warnings = warnings;
    this.spotPrices = new SpotPrices(ec2);
  }

  Instance launch(ImageResolver.Resolved image, String runId, StepLog log, Instant now) {
    List<Candidate> candidates = config.candidates();
    List<Failed> failed = new ArrayList<>();
    if (config.market() == Market.ON_DEMAND) {
      return tryAll(candidates, false, image, runId, log, now, failed)
          .orElseThrow(() -> noneLaunched(failed, false));
    }
    List<Candidate> spotOrder = candidates;
    if (config.order() == Order.PRICE) {
      spotOrder = new ArrayList<>(candidates);
      spotOrder.sort(
          Comparator.comparing(
              (Candidate c) -> spotPrices.of(c).orElse(null),
              Comparator.nullsLast(Comparator.naturalOrder())));
    }
    Optional<Instance> spot = tryAll(spotOrder, true, image, runId, log, now, failed);
    if (spot.isPresent()) {
      return spot.get();
    }
    if (config.market() == Market.SPOT) {
      throw noneLaunched(failed, true);
    }
    String message = fallbackMessage(failed);
    log.line("WARNING: " + message);
    warnings.accept(message);
    List<Failed> onDemandFailed = new ArrayList<>();
    return tryAll(candidates, false, image, runId, log, now, onDemandFailed)
        .orElseThrow(() -> noneLaunched(onDemandFailed, false));
  }

  /** The first candidate that launches; each one that has no capacity is journaled and skipped. */
  private Optional<Instance> tryAll(
      List<Candidate> candidates,
      boolean spot,
      ImageResolver.Resolved image,
      String runId,
      StepLog log,
      Instant now,
      List<Failed> failed) {
    for (Candidate c : candidates) {
      String what = (spot ? "spot" : "on-demand") + " " + c.label() + " (" + region + ")";
      try {
        Instance i = run(image, runId, c, spot, log, now);
        if (!failed.isEmpty() || candidates.size() > 1) {
          String got =
              "Launched "
                  + what
                  + priceText(facts.price(i.instanceId()).orElse(BigDecimal.ZERO))
                  + ": candidate "
                  + (candidates.indexOf(c) + 1)
                  + " of "
                  + candidates.size()
                  + (failed.isEmpty() ? "" : " after " + Failed.list(failed));
          log.line(got);
          if (!failed.isEmpty()) {
            warnings.accept(got);
          }
        }
        return Optional.of(i);
      } catch (StepException e) {
        String code = AwsErrors.code(e);
        if (!NO_CAPACITY.contains(code)) {
          throw e;
        }
        Failed f = new Failed(c, spot, code, e);
        failed.add(f);
        facts.attempt(f.describe());
        log.line("no " + what + ": " + e.getMessage() + "; trying the next candidate");
      }
    }
    return Optional.empty();
  }

  private StepException noneLaunched(List<Failed> failed, boolean spot) {
    boolean retryable = failed.stream().anyMatch(f -> f.error().retryable());
    StepException first = failed.get(0).error();
    String message;
    if (failed.size() == 1) {
      message = reason(failed.get(0), spot);
    } else {
      message =
          "No candidate could be launched (" + failed.size() + " tried): " + Failed.list(failed);
    }
    String onDemand =
        config
            .listPrice(failed.get(0).candidate().instanceType())
            .map(p -> "$" + p.perHour().toPlainString() + "/h")
            .orElse("the on-demand price");
    String hint =
        spot
            ? "set market: spot_or_on_demand to allow on-demand at "
                + onDemand
                + ", raise max_price, or add instance types or zones to try"
            : "add instance types (instance_type: [..]) or subnets or zones to try, or retry later";
    return new StepException(first.errorClass(), retryable, message, hint, first);
  }

  /** "Spot capacity for g5.xlarge in us-east-1 is not available (InsufficientInstanceCapacity)". */
  private String reason(Failed f, boolean spot) {
    String where =
        f.candidate().label() + (f.candidate().label().contains(" in ") ? "" : " in " + region);
    if (f.code().equals("SpotMaxPriceTooLow")) {
      return "Spot price for "
          + where
          + " is above max_price"
          + config.maxPrice().map(p -> " $" + p.toPlainString() + "/h").orElse("")
          + " ("
          + f.code()
          + ")";
    }
    return (spot ? "Spot capacity" : "Capacity")
        + " for "
        + where
        + " is not available ("
        + f.code()
        + ")";
  }

  private String fallbackMessage(List<Failed> failed) {
    Candidate first = config.candidates().get(0);
    Optional<BigDecimal> onDemand = first.listPrice();
    Optional<BigDecimal> spotNow = spotPrices.of(failed.get(0).candidate());
    String why =
        failed.size() == 1
            ? reason(failed.get(0), true)
            : "No spot candidate could be launched (" + Failed.list(failed) + ")";
    return why
        + ": launching ON-DEMAND at "
        + onDemand.map(p -> "$" + p.toPlainString() + "/h").orElse("an unknown price")
        + " instead of spot at "
        + spotNow.map(p -> "$" + p.toPlainString() + "/h").orElse("an unknown price")
        + (config.maxPrice().isPresent()
            ? " (max_price $" + config.maxPrice().get().toPlainString() + "/h)"
            : "");
  }

  private Instance run(
      ImageResolver.Resolved image,
      String runId,
      Candidate c,
      boolean spot,
      StepLog log,
      Instant now) {
    BigDecimal price =
        spot
            ? spotPrices.of(c).or(config::maxPrice).or(c::listPrice).orElse(BigDecimal.ZERO)
            : c.listPrice().orElse(BigDecimal.ZERO);
    String what = (spot ? "spot" : "on-demand") + " " + c.label() + " (" + region + ")";
    log.line("launching " + what + " from " + image.imageId() + " " + image.name());
    var request =
        LaunchRequest.of(
            config,
            image,
            c,
            spot,
            tags,
            LaunchRequest.clientToken(runId, facts.instances().size(), c, spot));
    Instance instance =
        AwsErrors.call("launch " + what, () -> ec2.runInstances(request)).instances().get(0);
    Instant launched = instance.launchTime() == null ? now : instance.launchTime();
    facts.launched(instance.instanceId(), launched, price, spot ? "spot" : "on_demand");
    facts.attempt(what + ": launched " + instance.instanceId() + priceText(price));
    log.line("launched " + instance.instanceId() + " (" + what + priceText(price) + ")");
    return instance;
  }

  private static String priceText(BigDecimal price) {
    return price.signum() > 0 ? " at $" + price.toPlainString() + "/h" : "";
  }

  /** A candidate that did not launch, and why. */
  private record Failed(Candidate candidate, boolean spot, String code, StepException error) {
    String describe() {
      return (spot ? "spot " : "on-demand ") + candidate.label() + ": " + code;
    }

    static String list(List<Failed> failed) {
      return String.join(", ", failed.stream().map(Failed::describe).toList());
    }
  }
}
