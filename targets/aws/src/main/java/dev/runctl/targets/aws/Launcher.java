package dev.runctl.targets.aws;

import dev.runctl.engine.spi.StepException;
import dev.runctl.engine.spi.StepLog;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.BlockDeviceMapping;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceInterruptionBehavior;
import software.amazon.awssdk.services.ec2.model.MarketType;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.RunInstancesRequest;
import software.amazon.awssdk.services.ec2.model.SpotInstanceType;
import software.amazon.awssdk.services.ec2.model.SpotPrice;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;
import software.amazon.awssdk.services.ec2.model.VolumeType;

/**
 * RunInstances exactly as {@code market} says: on-demand; spot (a capacity or price failure fails
 * the attempt, never falls back); or spot with an announced fallback to on-demand naming both
 * hourly prices. The instance id goes into the run's facts before anything else happens.
 */
final class Launcher {
  private static final List<String> SPOT_UNAVAILABLE =
      List.of(
          "InsufficientInstanceCapacity",
          "SpotMaxPriceTooLow",
          "MaxSpotInstanceCountExceeded",
          "InsufficientCapacity");

  private final Ec2Client ec2;
  private final AwsConfig config;
  private final String region;
  private final RunFacts facts;
  private final Map<String, String> tags;
  private final Consumer<String> warnings;

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
  }

  Instance launch(ImageResolver.Resolved image, String runId, StepLog log, Instant now) {
    String type = config.instanceType();
    Optional<BigDecimal> onDemand =
        PriceTable.load().onDemand(region, type).map(PriceTable.Price::perHour);
    if (config.market() == Market.ON_DEMAND) {
      return run(image, runId, false, onDemand.orElse(BigDecimal.ZERO), log, now);
    }
    Optional<BigDecimal> spotNow = spotPrice(type);
    BigDecimal spotPrice = spotNow.or(config::maxPrice).or(() -> onDemand).orElse(BigDecimal.ZERO);
    try {
      return run(image, runId, true, spotPrice, log, now);
    } catch (StepException e) {
      String code = AwsErrors.code(e);
      if (!SPOT_UNAVAILABLE.contains(code)) {
        throw e;
      }
      String why =
          code.equals("SpotMaxPriceTooLow")
              ? "Spot price for "
                  + type
                  + " in "
                  + region
                  + " is above max_price"
                  + config.maxPrice().map(p -> " $" + p.toPlainString() + "/h").orElse("")
                  + " ("
                  + code
                  + ")"
              : "Spot capacity for " + type + " in " + region + " is not available (" + code + ")";
      if (config.market() == Market.SPOT) {
        throw new StepException(
            e.errorClass(),
            e.retryable(),
            why,
            "set market: spot_or_on_demand to allow on-demand at "
                + onDemand.map(p -> "$" + p.toPlainString() + "/h").orElse("the on-demand price")
                + ", raise max_price, or try another region or instance type",
            e);
      }
      String message =
          why
              + ": launching ON-DEMAND at "
              + onDemand.map(p -> "$" + p.toPlainString() + "/h").orElse("an unknown price")
              + " instead of spot at "
              + spotNow.map(p -> "$" + p.toPlainString() + "/h").orElse("an unknown price")
              + (config.maxPrice().isPresent()
                  ? " (max_price $" + config.maxPrice().get().toPlainString() + "/h)"
                  : "");
      log.line("WARNING: " + message);
      warnings.accept(message);
      return run(image, runId, false, onDemand.orElse(BigDecimal.ZERO), log, now);
    }
  }

  /** The lowest current spot price of {@code type} in the region's zones. */
  Optional<BigDecimal> spotPrice(String type) {
    try {
      List<SpotPrice> prices =
          ec2.describeSpotPriceHistory(
                  r ->
                      r.instanceTypesWithStrings(type)
                          .productDescriptions("Linux/UNIX")
                          .startTime(Instant.now()))
              .spotPriceHistory();
      return prices.stream()
          .map(p -> new BigDecimal(p.spotPrice()))
          .min(Comparator.naturalOrder())
          .map(p -> p.stripTrailingZeros());
    } catch (RuntimeException e) {
      return Optional.empty(); // a price for the message only; never worth failing a launch
    }
  }

  private Instance run(
      ImageResolver.Resolved image,
      String runId,
      boolean spot,
      BigDecimal price,
      StepLog log,
      Instant now) {
    RunInstancesRequest.Builder b =
        RunInstancesRequest.builder()
            .imageId(image.imageId())
            .instanceType(config.instanceType())
            .minCount(1)
            .maxCount(1)
            .clientToken(clientToken(runId, spot))
            .metadataOptions(m -> m.httpTokens("required"))
            .tagSpecifications(tagSpecs(spot));
    String profile = config.iamInstanceProfile();
    b.iamInstanceProfile(
        p -> {
          if (profile.startsWith("arn:")) {
            p.arn(profile);
          } else {
            p.name(profile);
          }
        });
    config.subnetId().ifPresent(b::subnetId);
    if (!config.securityGroupIds().isEmpty()) {
      b.securityGroupIds(config.securityGroupIds());
    }
    config.keyName().ifPresent(b::keyName);
    config
        .diskGb()
        .ifPresent(
            gb ->
                b.blockDeviceMappings(
                    BlockDeviceMapping.builder()
                        .deviceName(image.rootDeviceName())
                        .ebs(
                            e ->
                                e.volumeSize(gb)
                                    .volumeType(VolumeType.GP3)
                                    .deleteOnTermination(true))
                        .build()));
    if (spot) {
      b.instanceMarketOptions(
          m ->
              m.marketType(MarketType.SPOT)
                  .spotOptions(
                      s -> {
                        s.spotInstanceType(SpotInstanceType.ONE_TIME)
                            .instanceInterruptionBehavior(InstanceInterruptionBehavior.TERMINATE);
                        config.maxPrice().ifPresent(p -> s.maxPrice(p.toPlainString()));
                      }));
    }
    String what = (spot ? "spot" : "on-demand") + " " + config.instanceType() + " in " + region;
    log.line("launching " + what + " from " + image.imageId() + " " + image.name());
    Instance instance =
        AwsErrors.call("launch " + what, () -> ec2.runInstances(b.build())).instances().get(0);
    Instant launched = instance.launchTime() == null ? now : instance.launchTime();
    facts.launched(instance.instanceId(), launched, price, spot ? "spot" : "on_demand");
    log.line(
        "launched "
            + instance.instanceId()
            + " ("
            + what
            + (price.signum() > 0 ? ", $" + price.toPlainString() + "/h" : "")
            + ")");
    return instance;
  }

  private List<TagSpecification> tagSpecs(boolean spot) {
    List<Tag> list = new ArrayList<>();
    tags.forEach((k, v) -> list.add(Tag.builder().key(k).value(v).build()));
    List<TagSpecification> specs = new ArrayList<>();
    specs.add(TagSpecification.builder().resourceType(ResourceType.INSTANCE).tags(list).build());
    specs.add(TagSpecification.builder().resourceType(ResourceType.VOLUME).tags(list).build());
    if (spot) {
      specs.add(
          TagSpecification.builder()
              .resourceType(ResourceType.SPOT_INSTANCES_REQUEST)
              .tags(list)
              .build());
    }
    return specs;
  }

  /** Same run, same launch number, same market: AWS answers a repeated request idempotently. */
  private String clientToken(String runId, boolean spot) {
    String seed = runId + "/" + facts.instances().size() + "/" + (spot ? "spot" : "od");
    byte[] h = BlobStore.sha256(seed.getBytes(StandardCharsets.UTF_8));
    return "runctl-" + HexFormat.of().formatHex(h).substring(0, 40);
  }
}
