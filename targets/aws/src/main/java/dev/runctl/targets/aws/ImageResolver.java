package dev.runctl.targets.aws;

import dev.runctl.engine.spi.StepException;
import java.util.Comparator;
import java.util.List;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.DescribeImagesRequest;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ssm.SsmClient;

/** Turns {@code image:} into an AMI of this region: by id, SSM public parameter, or newest name. */
final class ImageResolver {
  private final Ec2Client ec2;
  private final SsmClient ssm;

  /** An AMI and the device name of its root volume (for disk_gb). */
  record Resolved(String imageId, String name, String rootDeviceName) {}

  ImageResolver(Ec2Client ec2, SsmClient ssm) {
    this.ec2 = ec2;
    this.ssm = ssm;
  }

  Resolved resolve(ImageRef ref) {
    if (ref instanceof ImageRef.BySsmParameter p) {
      String id =
          AwsErrors.call(
                  "read SSM parameter " + p.parameter(),
                  () -> ssm.getParameter(r -> r.name(p.parameter())))
              .parameter()
              .value();
      return describe(id.trim());
    }
    if (ref instanceof ImageRef.ByName byName) {
      return newest(byName);
    }
    return describe(((ImageRef.ById) ref).id());
  }

  private Resolved describe(String imageId) {
    List<Image> images =
        AwsErrors.call(
                "describe image " + imageId, () -> ec2.describeImages(r -> r.imageIds(imageId)))
            .images();
    if (images.isEmpty()) {
      throw StepException.fatal(
          "Image " + imageId + " does not exist in this region",
          "AMI ids are per region: use {ssm_parameter: ...} or {name, owner} to find one here");
    }
    return toResolved(images.get(0));
  }

  private Resolved newest(ImageRef.ByName ref) {
    DescribeImagesRequest request =
        DescribeImagesRequest.builder()
            .owners(ref.owner())
            .filters(
                Filter.builder().name("name").values(ref.namePattern()).build(),
                Filter.builder().name("state").values("available").build())
            .build();
    List<Image> images =
        AwsErrors.call(
                "find images named \"" + ref.namePattern() + "\"",
                () -> ec2.describeImages(request))
            .images();
    return images.stream()
        .filter(i -> i.creationDate() != null)
        .max(Comparator.comparing(Image::creationDate))
        .map(ImageResolver::toResolved)
        .orElseThrow(
            () ->
                StepException.fatal(
                    "No image named \""
                        + ref.namePattern()
                        + "\" owned by "
                        + ref.owner()
                        + " exists in this region",
                    "check the pattern (* matches anything) and the owner; aws ec2 describe-images"
                        + " --owners "
                        + ref.owner()
                        + " --filters Name=name,Values='"
                        + ref.namePattern()
                        + "' lists candidates"));
  }

  private static Resolved toResolved(Image i) {
    String root = i.rootDeviceName() == null ? "/dev/xvda" : i.rootDeviceName();
    return new Resolved(i.imageId(), i.name() == null ? "" : i.name(), root);
  }
}
