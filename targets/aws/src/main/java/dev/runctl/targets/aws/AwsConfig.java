package dev.runctl.targets.aws;

import dev.runctl.engine.spi.TargetConfig;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The parsed {@code target:} of an aws job. {@code region} empty: the SDK's chain decides. {@code
 * listPrice} is the on-demand price from the project's price table, when it knows the type there.
 */
public record AwsConfig(
    Optional<String> region,
    String instanceType,
    Market market,
    Optional<BigDecimal> maxPrice,
    ImageRef image,
    String iamInstanceProfile,
    String bucket,
    Optional<Integer> diskGb,
    Optional<String> subnetId,
    List<String> securityGroupIds,
    Optional<String> keyName,
    Map<String, String> tags,
    Duration readyTimeout,
    Optional<PriceTable.Price> listPrice)
    implements TargetConfig {

  public AwsConfig {
    securityGroupIds = List.copyOf(securityGroupIds);
    tags = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(tags));
  }

  @Override
  public Map<String, String> describe() {
    Map<String, String> out = new LinkedHashMap<>();
    out.put("provider", "aws");
    out.put("region", region.orElse("(from the AWS SDK's region chain)"));
    out.put("instance_type", instanceType);
    out.put("market", market.yaml());
    maxPrice.ifPresent(p -> out.put("max_price", "$" + p.toPlainString() + "/h"));
    out.put("image", image.describe());
    out.put("iam_instance_profile", iamInstanceProfile);
    out.put("bucket", bucket);
    diskGb.ifPresent(d -> out.put("disk_gb", Integer.toString(d)));
    subnetId.ifPresent(s -> out.put("subnet_id", s));
    if (!securityGroupIds.isEmpty()) {
      out.put("security_group_ids", String.join(", ", securityGroupIds));
    }
    keyName.ifPresent(k -> out.put("key_name", k));
    if (!tags.isEmpty()) {
      out.put("tags", tags.toString());
    }
    out.put("ready_timeout", readyTimeout.toString().substring(2).toLowerCase());
    out.put(
        "on_demand_price",
        listPrice
            .map(p -> "$" + p.perHour().toPlainString() + "/h (price table of " + p.asOf() + ")")
            .orElse("unknown for this type and region"));
    return out;
  }

  /**
   * The worst-case hourly price: the spot ceiling for spot, the list price for on-demand, the
   * higher of both when on-demand is a possible fallback.
   */
  @Override
  public Optional<BigDecimal> planPricePerHour() {
    Optional<BigDecimal> list = listPrice.map(PriceTable.Price::perHour);
    return switch (market) {
      case ON_DEMAND -> list;
      case SPOT -> maxPrice.or(() -> list);
      case SPOT_OR_ON_DEMAND -> {
        if (maxPrice.isPresent() && list.isPresent()) {
          yield Optional.of(maxPrice.get().max(list.get()));
        }
        yield list.or(() -> maxPrice);
      }
    };
  }
}
