package dev.runctl.targets.aws;

import java.math.BigDecimal;
import java.util.Optional;

/**
 * One place an instance may be launched: an instance type in a subnet, a zone, or wherever EC2
 * picks. {@code listPrice} is the on-demand price from the project's price table, when known.
 */
record Candidate(
    String instanceType,
    Optional<String> subnetId,
    Optional<String> zone,
    Optional<BigDecimal> listPrice) {

  /** E.g. "g5.xlarge in us-east-1b", "g5.xlarge in subnet-0abc", "g5.xlarge". */
  String label() {
    return instanceType
        + subnetId.map(s -> " in " + s).orElse("")
        + zone.map(z -> " in " + z).orElse("");
  }

  /** The worst-case hourly price of this candidate under {@code market} and the spot ceiling. */
  Optional<BigDecimal> planPrice(Market market, Optional<BigDecimal> maxPrice) {
    return switch (market) {
      case ON_DEMAND -> listPrice;
      case SPOT -> maxPrice.or(() -> listPrice);
      case SPOT_OR_ON_DEMAND -> {
        if (maxPrice.isPresent() && listPrice.isPresent()) {
          yield Optional.of(maxPrice.get().max(listPrice.get()));
        }
        yield listPrice.or(() -> maxPrice);
      }
    };
  }
}
