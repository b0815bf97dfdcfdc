package dev.runctl.targets.aws;

import dev.runctl.engine.spi.ConfigNode;
import dev.runctl.engine.spi.ConfigNode.Mapping;
import dev.runctl.engine.spi.ConfigNode.Scalar;
import dev.runctl.engine.spi.Diagnostics;
import dev.runctl.engine.spi.SettingsReader;
import dev.runctl.engine.spi.Suggestions;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** Turns the {@code target:} mapping into an {@link AwsConfig}, reporting every problem found. */
final class AwsConfigParser {
  static final List<String> KEYS =
      List.of(
          "provider",
          "region",
          "instance_type",
          "market",
          "max_price",
          "image",
          "iam_instance_profile",
          "bucket",
          "disk_gb",
          "subnet_id",
          "availability_zones",
          "order",
          "security_group_ids",
          "key_name",
          "tags",
          "ready_timeout",
          "idle_timeout");
  private static final Pattern REGION = Pattern.compile(AwsSettings.REGION);
  private static final Pattern AMI = Pattern.compile("ami-[0-9a-f]{8,17}");
  private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
  private static final Pattern PROFILE =
      Pattern.compile("[\\w+=,.@-]{1,128}|arn:aws[a-z-]*:iam::\\d{12}:instance-profile/.+");

  private final Diagnostics d;
  private final PriceTable prices;
  private SettingsReader read;

  AwsConfigParser(Diagnostics diagnostics, PriceTable prices) {
    this.d = diagnostics;
    this.prices = prices;
  }

  AwsConfig parse(Mapping m) {
    read = new SettingsReader(m, d, "the aws target", m.position()).onlyKeys(KEYS);
    String region = read.required("region", "e.g. region: us-east-1");
    if (!region.isEmpty()) {
      read.check(
          REGION.matcher(region).matches(),
          "region",
          "region '" + region + "' is not an AWS region name",
          "write it like us-east-1 or eu-west-1");
    }
    List<String> types = new CandidateSettings(read, d).instanceTypes(m);
    Market market = market(m);
    Optional<BigDecimal> maxPrice = price(m);
    if (maxPrice.isPresent() && market == Market.ON_DEMAND) {
      d.warning(
          read.position("max_price"),
          "max_price applies to spot only and market is on_demand",
          "set market: spot or spot_or_on_demand, or drop max_price");
    }
    ImageRef image = image(m);
    String profile =
        nullIfEmpty(read.required("iam_instance_profile", "the instance profile SSM runs under"));
    if (profile != null) {
      read.check(
          PROFILE.matcher(profile).matches(),
          "iam_instance_profile",
          "iam_instance_profile '" + profile + "' is neither a profile name nor an ARN",
          "give the name of an instance profile, e.g. runctl-ssm (see docs/aws.md)");
    }
    String bucket =
        nullIfEmpty(read.required("bucket", "an S3 bucket runctl may write under runctl/"));
    if (bucket != null) {
      read.check(
          BUCKET.matcher(bucket).matches() && !bucket.contains(".."),
          "bucket",
          "bucket '" + bucket + "' is not a valid S3 bucket name",
          "3-63 characters: lower-case letters, digits, dots and hyphens");
    }
    Optional<Integer> disk = read.integer("disk_gb", 8, 16384);
    CandidateSettings where = new CandidateSettings(read, d);
    List<String> subnets = where.subnets();
    List<String> zones = where.zones(region, subnets);
    Order order = where.order();
    List<String> groups = read.stringList("security_group_ids");
    for (String g : groups) {
      read.check(
          g.matches("sg-[0-9a-f]+"),
          "security_group_ids",
          "'security_group_ids': '" + g + "' is not a security group id",
          "e.g. [sg-0abc123...]");
    }
    Optional<String> keyName = read.string("key_name");
    Map<String, String> tags = tags(m);
    Duration ready = read.duration("ready_timeout").orElse(Duration.ofMinutes(10));
    Duration idle = read.duration("idle_timeout").orElse(Duration.ofMinutes(30));
    Map<String, PriceTable.Price> list = new LinkedHashMap<>();
    for (String type : types) {
      Optional<PriceTable.Price> price = prices.onDemand(region, type);
      price.ifPresent(p -> list.put(type, p));
      if (price.isEmpty() && maxPrice.isEmpty()) {
        d.warning(
            read.position("instance_type"),
            "no on-demand price known for "
                + type
                + " in "
                + region
                + " (price table of "
                + prices.asOf()
                + "): budget.max_cost cannot be checked",
            "set max_price to give plan a price to check the budget with");
      }
    }
    return new AwsConfig(
        region,
        types,
        market,
        maxPrice,
        image == null ? new ImageRef.ById("") : image,
        profile == null ? "" : profile,
        bucket == null ? "" : bucket,
        disk,
        subnets,
        zones,
        order,
        groups,
        keyName,
        tags,
        ready,
        idle,
        list);
  }

  private static String nullIfEmpty(String s) {
    return s.isEmpty() ? null : s;
  }

  private Market market(Mapping m) {
    Optional<String> text = read.string("market");
    if (text.isEmpty()) {
      return Market.ON_DEMAND;
    }
    Optional<Market> market = Market.fromYaml(text.get());
    if (market.isEmpty()) {
      d.error(
          read.position("market"),
          "market '" + text.get() + "' is not one of on_demand, spot, spot_or_on_demand",
          Suggestions.closest(text.get(), List.of("on_demand", "spot", "spot_or_on_demand"))
              .map(s -> "did you mean '" + s + "'?")
              .orElse("on_demand (default), spot, or spot_or_on_demand"));
    }
    return market.orElse(Market.ON_DEMAND);
  }

  private Optional<BigDecimal> price(Mapping m) {
    Optional<String> text = read.string("max_price");
    if (text.isEmpty()) {
      return Optional.empty();
    }
    try {
      BigDecimal p = new BigDecimal(text.get().replace("$", "").trim());
      if (p.signum() > 0) {
        return Optional.of(p);
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    d.error(
        read.position("max_price"),
        "max_price '" + text.get() + "' is not a positive number",
        "USD per hour, e.g. max_price: 0.60");
    return Optional.empty();
  }

  private ImageRef image(Mapping m) {
    Optional<ConfigNode> node = m.get("image");
    if (node.isEmpty()) {
      d.error(
          m.position(),
          "the aws target needs 'image'",
          "an AMI id (ami-...), {ssm_parameter: /aws/service/...} or {name: \"Deep Learning*\","
              + " owner: amazon}");
      return null;
    }
    if (node.get() instanceof Scalar s) {
      if (!AMI.matcher(s.value()).matches()) {
        d.error(
            s.position(),
            "image '" + s.value() + "' is not an AMI id",
            "an id looks like ami-0abcdef1234567890; for a name use {name: ..., owner: ...}");
      }
      return new ImageRef.ById(s.value());
    }
    if (node.get() instanceof Mapping im) {
      for (String key : im.entries().keySet()) {
        if (!List.of("ssm_parameter", "name", "owner").contains(key)) {
          d.error(
              im.keyPosition(key),
              "unknown image setting '" + key + "'",
              "image takes ssm_parameter, or name and owner");
        }
      }
      Optional<String> param = im.text("ssm_parameter");
      Optional<String> name = im.text("name");
      if (param.isPresent() && name.isPresent()) {
        d.error(im.position(), "image has both ssm_parameter and name", "keep one of them");
      }
      if (param.isPresent()) {
        if (!param.get().startsWith("/")) {
          d.error(
              im.keyPosition("ssm_parameter"),
              "ssm_parameter '" + param.get() + "' must be a parameter path starting with /",
              "e.g. /aws/service/canonical/ubuntu/server/22.04/stable/current/amd64/hvm/ebs-gp2/ami-id");
        }
        return new ImageRef.BySsmParameter(param.get());
      }
      if (name.isPresent()) {
        Optional<String> owner = im.text("owner");
        if (owner.isEmpty()) {
          d.error(
              im.position(),
              "image by name needs an owner",
              "owner: amazon, self, aws-marketplace, or an account id; without it anyone's"
                  + " image of that name could be picked");
        }
        return new ImageRef.ByName(name.get(), owner.orElse(""));
      }
      d.error(im.position(), "image needs ssm_parameter or name", "see docs/aws.md");
      return null;
    }
    d.error(node.get().position(), "image must be an AMI id or a mapping", null);
    return null;
  }

  private Map<String, String> tags(Mapping m) {
    Map<String, String> out = new LinkedHashMap<>();
    Optional<ConfigNode> node = m.get("tags");
    if (node.isEmpty()) {
      return out;
    }
    if (!(node.get() instanceof Mapping tm)) {
      d.error(node.get().position(), "tags must be a mapping of names to values", "{team: ml}");
      return out;
    }
    tm.entries()
        .forEach(
            (k, v) -> {
              if (k.startsWith("runctl:") || k.startsWith("aws:")) {
                d.error(
                    tm.keyPosition(k),
                    "tag '" + k + "' uses a reserved prefix",
                    "runctl sets runctl:* itself and AWS reserves aws:*");
              } else if (v instanceof Scalar s) {
                out.put(k, s.value());
              } else {
                d.error(v.position(), "tag '" + k + "' must have a plain value", null);
              }
            });
    return out;
  }
}
