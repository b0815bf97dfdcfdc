package dev.runctl.targets.aws;

import dev.runctl.engine.spi.TargetConfig;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The parsed {@code target:} of an aws job. {@code instanceTypes} and {@code subnetIds} or {@code
 * zones} are tried in order (or cheapest first with {@code order: price}); {@code listPrices} holds
 * the on-demand prices the project's price table knows for those types.
 */
public record AwsConfig(
    String region,
    List<String> instanceTypes,
    Market market,
    Optional<BigDecimal> maxPrice,
    ImageRef image,
    String iamInstanceProfile,
    String bucket,
    Optional<Integer> diskGb,
    List<String> subnetIds,
    List<String> zones,
    Order order,
    List<String> securityGroupIds,
    Optional<String> keyName,
    Map<String, String> tags,
    Duration readyTimeout,
    Duration idleTimeout,
    Map<String, PriceTable.Price> listPrices)
    implements TargetConfig {

  public AwsConfig {
    instanceTypes = List.copyOf(instanceTypes);
    subnetIds = List.copyOf(subnetIds);
    zones = List.copyOf(zones);
    securityGroupIds = List.copyOf(securityGroupIds);
    tags = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(tags));
    listPrices = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(listPrices));
  }

  /** The first type: what a single-type spec names. */
  String instanceType() {
    return instanceTypes.isEmpty() ? "" : instanceTypes.get(0);
  }

  Optional<PriceTable.Price> listPrice(String type) {
    return Optional.ofNullable(listPrices.get(type));
  }

  /**
   * Every type in every subnet or zone, types first, in the order written; with {@code order:
   * price} sorted by the plan price (stable, unknown prices last). The launcher sorts spot
   * candidates again by the spot price of the moment.
   */
  List<Candidate> candidates() {
    List<Candidate> out = new ArrayList<>();
    for (String type : instanceTypes) {
      Optional<BigDecimal> list = listPrice(type).map(PriceTable.Price::perHour);
      if (!subnetIds.isEmpty()) {
        subnetIds.forEach(
            s -> out.add(new Candidate(type, Optional.of(s), Optional.empty(), list)));
      } else if (!zones.isEmpty()) {
        zones.forEach(z -> out.add(new Candidate(type, Optional.empty(), Optional.of(z), list)));
      } else {
        out.add(new Candidate(type, Optional.empty(), Optional.empty(), list));
      }
    }
    if (order == Order.PRICE) {
      out.sort(
          Comparator.comparing(
              (Candidate c) -> c.planPrice(market, maxPrice).orElse(null),
              Comparator.nullsLast(Comparator.naturalOrder())));
    }
    return out;
  }

  @Override
  public Map<String, String> describe() {
    Map<String, String> out = new LinkedHashMap<>();
    out.put("provider", "aws");
    out.put("region", region);
    out.put("instance_type", String.join(", ", instanceTypes));
    out.put("market", market.yaml());
    maxPrice.ifPresent(p -> out.put("max_price", "$" + p.toPlainString() + "/h"));
    out.put("image", image.describe());
    out.put("iam_instance_profile", iamInstanceProfile);
    out.put("bucket", bucket);
    diskGb.ifPresent(d -> out.put("disk_gb", Integer.toString(d)));
    if (!subnetIds.isEmpty()) {
      out.put("subnet_id", String.join(", ", subnetIds));
    }
    if (!zones.isEmpty()) {
      out.put("availability_zones", String.join(", ", zones));
    }
    List<Candidate> candidates = candidates();
    if (candidates.size() > 1) {
      out.put("order", order.yaml());
      for (int i = 0; i < candidates.size(); i++) {
        Candidate c = candidates.get(i);
        out.put(
            "candidate " + (i + 1),
            c.label()
                + ": "
                + c.planPrice(market, maxPrice)
                    .map(p -> "$" + p.toPlainString() + "/h")
                    .orElse("price unknown"));
      }
    }
    if (!securityGroupIds.isEmpty()) {
      out.put("security_group_ids", String.join(", ", securityGroupIds));
    }
    keyName.ifPresent(k -> out.put("key_name", k));
    if (!tags.isEmpty()) {
      out.put("tags", tags.toString());
    }
    out.put("ready_timeout", readyTimeout.toString().substring(2).toLowerCase());
    out.put("idle_timeout", idleTimeout.toString().substring(2).toLowerCase());
    out.put("on_demand_price", onDemandPrices());
    return out;
  }

  private String onDemandPrices() {
    List<String> parts = new ArrayList<>();
    for (String type : instanceTypes) {
      parts.add(
          listPrice(type)
              .map(
                  p ->
                      (instanceTypes.size() > 1 ? type + " " : "")
                          + "$"
                          + p.perHour().toPlainString()
                          + "/h (price table of "
                          + p.asOf()
                          + ")")
              .orElse(
                  (instanceTypes.size() > 1 ? type + " " : "")
                      + "unknown for this type and region"));
    }
    return String.join(", ", parts);
  }

  /**
   * The worst-case hourly price of the dearest candidate: the spot ceiling for spot, the list price
   * for on-demand, the higher of both when on-demand is a possible fallback. Empty when a
   * candidate's price is unknown and there is no ceiling to stand for it.
   */
  @Override
  public Optional<BigDecimal> planPricePerHour() {
    BigDecimal dearest = null;
    for (Candidate c : candidates()) {
      Optional<BigDecimal> p = c.planPrice(market, maxPrice);
      if (p.isEmpty()) {
        return Optional.empty();
      }
      dearest = dearest == null ? p.get() : dearest.max(p.get());
    }
    return Optional.ofNullable(dearest);
  }

  /** Sync's files go through the bucket, which exists before the instance does. */
  @Override
  public boolean stagesFiles() {
    return true;
  }
}
