package dev.runctl.targets.aws;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.ec2.model.BlockDeviceMapping;
import software.amazon.awssdk.services.ec2.model.InstanceInterruptionBehavior;
import software.amazon.awssdk.services.ec2.model.MarketType;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.RunInstancesRequest;
import software.amazon.awssdk.services.ec2.model.ShutdownBehavior;
import software.amazon.awssdk.services.ec2.model.SpotInstanceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;
import software.amazon.awssdk.services.ec2.model.VolumeType;

/**
 * The RunInstances request for one candidate: the settings, the run's tags, an idempotency token.
 */
final class LaunchRequest {
  private LaunchRequest() {}

  static RunInstancesRequest of(
      AwsConfig config,
      ImageResolver.Resolved image,
      Candidate candidate,
      boolean spot,
      Map<String, String> tags,
      String clientToken) {
    RunInstancesRequest.Builder b =
        RunInstancesRequest.builder()
            .imageId(image.imageId())
            .instanceType(candidate.instanceType())
            .minCount(1)
            .maxCount(1)
            .clientToken(clientToken)
            .metadataOptions(m -> m.httpTokens("required"))
            // the guard on the instance ends it with a shutdown: that must terminate, not stop
            .instanceInitiatedShutdownBehavior(ShutdownBehavior.TERMINATE)
            .tagSpecifications(tagSpecs(tags, spot));
    String profile = config.iamInstanceProfile();
    b.iamInstanceProfile(
        p -> {
          if (profile.startsWith("arn:")) {
            p.arn(profile);
          } else {
            p.name(profile);
          }
        });
    candidate.subnetId().ifPresent(b::subnetId);
    candidate.zone().ifPresent(z -> b.placement(p -> p.availabilityZone(z)));
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
    return b.build();
  }

  /**
   * Same run, same launch number, same candidate, same market: AWS answers a repeated request
   * idempotently, and a request for another candidate is a new one.
   */
  static String clientToken(String runId, int launchNumber, Candidate c, boolean spot) {
    String seed = runId + "/" + launchNumber + "/" + (spot ? "spot" : "od") + "/" + c.label();
    byte[] h = BlobStore.sha256(seed.getBytes(StandardCharsets.UTF_8));
    return "runctl-" + HexFormat.of().formatHex(h).substring(0, 40);
  }

  private static List<TagSpecification> tagSpecs(Map<String, String> tags, boolean spot) {
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
}
