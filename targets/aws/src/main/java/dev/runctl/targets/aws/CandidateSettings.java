package dev.runctl.targets.aws;

import dev.runctl.engine.spi.ConfigNode.Mapping;
import dev.runctl.engine.spi.Diagnostics;
import dev.runctl.engine.spi.SettingsReader;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The settings that make the launch candidates: {@code instance_type} (one or a list), {@code
 * subnet_id} (one or a list) or {@code availability_zones}, and {@code order}; each checked.
 */
final class CandidateSettings {
  private static final Pattern TYPE = Pattern.compile("[a-z][a-z0-9-]*\\.[a-z0-9-]+");
  private static final Pattern ZONE =
      Pattern.compile("[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]+[a-z]");

  private final SettingsReader read;
  private final Diagnostics d;

  CandidateSettings(SettingsReader read, Diagnostics d) {
    this.read = read;
    this.d = d;
  }

  /** One type or a list of them, each checked; a type named twice is reported. */
  List<String> instanceTypes(Mapping m) {
    if (m.get("instance_type").isEmpty()) {
      read.required("instance_type", "e.g. instance_type: g5.xlarge");
      return List.of();
    }
    List<String> types = read.stringList("instance_type");
    if (types.isEmpty()) {
      read.error("instance_type", "instance_type is empty", "e.g. instance_type: g5.xlarge");
    }
    for (int i = 0; i < types.size(); i++) {
      String type = types.get(i);
      read.check(
          TYPE.matcher(type).matches(),
          "instance_type",
          "instance_type '" + type + "' is not an EC2 instance type",
          "write it like g5.xlarge or t3.medium");
      read.check(
          types.indexOf(type) == i,
          "instance_type",
          "instance_type lists '" + type + "' twice",
          "name each type once; order says which is tried first");
    }
    return types.stream().distinct().toList();
  }

  List<String> subnets() {
    List<String> subnets = read.stringList("subnet_id");
    for (String sn : subnets) {
      read.check(
          sn.matches("subnet-[0-9a-f]+"),
          "subnet_id",
          "'subnet_id': '" + sn + "' is not a subnet id",
          "e.g. subnet-0abc123..., or a list of them");
    }
    return subnets;
  }

  /** The zones, each of {@code region}; reported when {@code subnets} are set as well. */
  List<String> zones(String region, List<String> subnets) {
    List<String> zones = read.stringList("availability_zones");
    for (String z : zones) {
      boolean isZone = ZONE.matcher(z).matches();
      read.check(
          isZone,
          "availability_zones",
          "availability zone '" + z + "' is not a zone name",
          "e.g. [us-east-1a, us-east-1b]");
      if (!region.isEmpty()) {
        read.check(
            !isZone || z.startsWith(region),
            "availability_zones",
            "availability zone '" + z + "' is not in the region " + region,
            "name zones of " + region + ", e.g. " + region + "a");
      }
    }
    if (!subnets.isEmpty() && !zones.isEmpty()) {
      d.error(
          read.position("availability_zones"),
          "both subnet_id and availability_zones are set",
          "a subnet lies in one zone: list subnets in subnet_id, or zones of the default VPC in"
              + " availability_zones, not both");
    }
    return zones;
  }

  Order order() {
    Optional<String> text = read.string("order");
    if (text.isEmpty()) {
      return Order.GIVEN;
    }
    Optional<Order> order = Order.fromYaml(text.get());
    read.check(
        order.isPresent(),
        "order",
        "order '" + text.get() + "' is not one of given, price",
        "given (the order written) or price (cheapest first)");
    return order.orElse(Order.GIVEN);
  }
}
