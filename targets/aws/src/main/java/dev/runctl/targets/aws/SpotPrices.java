package dev.runctl.targets.aws;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.SpotPrice;

/** The current spot prices of a type (one DescribeSpotPriceHistory per type, kept). */
final class SpotPrices {
  private final Ec2Client ec2;
  private final Map<String, List<SpotPrice>> byType = new HashMap<>();

  SpotPrices(Ec2Client ec2) {
    this.ec2 = ec2;
  }

  /** The candidate's zone's price, or the lowest of the region's zones when it names none. */
  Optional<BigDecimal> of(Candidate c) {
    return history(c.instanceType()).stream()
        .filter(p -> c.zone().isEmpty() || c.zone().get().equals(p.availabilityZone()))
        .map(p -> new BigDecimal(p.spotPrice()))
        .min(Comparator.naturalOrder())
        .map(BigDecimal::stripTrailingZeros);
  }

  private List<SpotPrice> history(String type) {
    return byType.computeIfAbsent(
        type,
        t -> {
          try {
            return ec2.describeSpotPriceHistory(
                    r ->
                        r.instanceTypesWithStrings(t)
                            .productDescriptions("Linux/UNIX")
                            .startTime(Instant.now()))
                .spotPriceHistory();
          } catch (RuntimeException e) {
            return List.of(); // a price for ordering and messages; never worth failing a launch
          }
        });
  }
}
