package dev.runctl.targets.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runctl.engine.spi.ConfigNode;
import dev.runctl.engine.spi.Diagnostic;
import dev.runctl.engine.spi.Diagnostics;
import dev.runctl.engine.spi.Position;
import dev.runctl.engine.spi.Severity;
import dev.runctl.engine.spi.TargetSettings;
import dev.runctl.targets.aws.support.AwsHarness;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AwsConfigParserTest {
  private final Diagnostics diagnostics = new Diagnostics();

  private AwsConfig parse(ConfigNode.Mapping m) {
    return (AwsConfig)
        new AwsTargetProvider().configure(new TargetSettings("aws", m, m.position()), diagnostics);
  }

  private List<String> errors() {
    return diagnostics.all().stream()
        .filter(d -> d.severity() == Severity.ERROR)
        .map(d -> d.message() + " | " + d.hint())
        .toList();
  }

  @Test
  void parsesTheFullMapping() {
    AwsConfig c =
        parse(
            AwsHarness.settings(
                "market", "spot_or_on_demand",
                "max_price", "0.60",
                "image", Map.of("name", "Deep Learning*", "owner", "amazon"),
                "subnet_id", "subnet-0abc12",
                "security_group_ids", List.of("sg-01", "sg-02"),
                "key_name", "me",
                "ready_timeout", "15m"));
    assertThat(errors()).isEmpty();
    assertThat(c.market()).isEqualTo(Market.SPOT_OR_ON_DEMAND);
    assertThat(c.image()).isEqualTo(new ImageRef.ByName("Deep Learning*", "amazon"));
    assertThat(c.securityGroupIds()).containsExactly("sg-01", "sg-02");
    assertThat(c.diskGb()).contains(100);
    assertThat(c.readyTimeout()).isEqualTo(Duration.ofMinutes(15));
    assertThat(c.tags()).containsEntry("team", "ml");
    assertThat(c.listPrice("g5.xlarge").orElseThrow().perHour()).isEqualByComparingTo("1.006");
    // the worst case: on-demand at the list price
    assertThat(c.planPricePerHour()).contains(new BigDecimal("1.006"));
    assertThat(c.describe())
        .containsEntry("market", "spot_or_on_demand")
        .containsEntry("max_price", "$0.60/h")
        .containsKey("on_demand_price");
  }

  @Test
  void spotPlansWithTheCeilingAndOnDemandWithTheListPrice() {
    assertThat(parse(AwsHarness.settings("market", "spot", "max_price", "0.6")).planPricePerHour())
        .contains(new BigDecimal("0.6"));
    assertThat(parse(AwsHarness.settings()).planPricePerHour()).contains(new BigDecimal("1.006"));
    assertThat(parse(AwsHarness.settings("market", "spot")).planPricePerHour())
        .contains(new BigDecimal("1.006"));
  }

  @Test
  void everyProblemIsReportedWithItsPositionAndAFix() {
    ConfigNode.Mapping m =
        AwsHarness.settings(
            "region", "us-east",
            "instance_type", "G5 XL",
            "market", "spott",
            "max_price", "cheap",
            "image", "ubuntu",
            "bucket", "My_Bucket",
            "disk_gb", "lots",
            "subnet_id", "net-1",
            "tags", Map.of("runctl:run-id", "x"),
            "instnace_type", "g5.xlarge",
            "ready_timeout", "soon");
    parse(m);
    assertThat(errors())
        .anyMatch(e -> e.startsWith("region 'us-east' is not an AWS region name"))
        .anyMatch(e -> e.startsWith("instance_type 'G5 XL' is not an EC2 instance type"))
        .anyMatch(e -> e.contains("market 'spott'") && e.contains("did you mean 'spot'?"))
        .anyMatch(e -> e.startsWith("max_price 'cheap' is not a positive number"))
        .anyMatch(e -> e.startsWith("image 'ubuntu' is not an AMI id"))
        .anyMatch(e -> e.startsWith("bucket 'My_Bucket' is not a valid S3 bucket name"))
        .anyMatch(e -> e.startsWith("'disk_gb': 'lots' must be a whole number"))
        .anyMatch(e -> e.startsWith("'subnet_id': 'net-1' is not a subnet id"))
        .anyMatch(e -> e.startsWith("tag 'runctl:run-id' uses a reserved prefix"))
        .anyMatch(
            e ->
                e.contains("the aws target has no setting 'instnace_type'")
                    && e.contains("did you mean 'instance_type'?"))
        .anyMatch(e -> e.startsWith("'ready_timeout': 'soon' is not a duration"));
    Diagnostic region =
        diagnostics.all().stream()
            .filter(d -> d.message().startsWith("region"))
            .findFirst()
            .orElseThrow();
    assertThat(region.position()).isEqualTo(m.get("region").orElseThrow().position());
    assertThat(region.position().line()).isPositive();
  }

  @Test
  void requiredSettingsAreNamed() {
    parse(
        AwsHarness.settings(
            "instance_type", null, "image", null, "bucket", null, "iam_instance_profile", null));
    assertThat(errors())
        .anyMatch(e -> e.startsWith("the aws target needs 'instance_type'"))
        .anyMatch(e -> e.startsWith("the aws target needs 'image'"))
        .anyMatch(e -> e.startsWith("the aws target needs 'bucket'"))
        .anyMatch(e -> e.startsWith("the aws target needs 'iam_instance_profile'"));
  }

  @Test
  void imageByNameNeedsAnOwnerAndNotBothForms() {
    parse(AwsHarness.settings("image", Map.of("name", "dl-*")));
    parse(
        AwsHarness.settings(
            "image", Map.of("name", "dl-*", "owner", "amazon", "ssm_parameter", "/a")));
    parse(AwsHarness.settings("image", Map.of("ssm_parameter", "aws/service/x")));
    assertThat(errors())
        .anyMatch(e -> e.startsWith("image by name needs an owner"))
        .anyMatch(e -> e.startsWith("image has both ssm_parameter and name"))
        .anyMatch(e -> e.contains("must be a parameter path starting with /"));
  }

  @Test
  void warnsWhenNoPriceIsKnownAndWhenMaxPriceCannotApply() {
    parse(AwsHarness.settings("instance_type", "x9.huge"));
    parse(AwsHarness.settings("max_price", "1.0"));
    assertThat(errors()).isEmpty();
    assertThat(diagnostics.all())
        .extracting(Diagnostic::message)
        .anyMatch(m -> m.startsWith("no on-demand price known for x9.huge in us-east-1"))
        .anyMatch(m -> m.startsWith("max_price applies to spot only"));
  }

  @Test
  void positionsComeFromTheMapping() {
    ConfigNode.Mapping empty = ConfigNode.Mapping.empty(new Position("job.yaml", 4, 3));
    parse(empty);
    assertThat(diagnostics.all()).allMatch(d -> d.position().line() == 4);
  }

  @Test
  void candidatesAreTypesTimesZonesAndPlanPricesTheDearest() {
    AwsConfig c =
        parse(
            AwsHarness.settings(
                "instance_type", List.of("g6.xlarge", "g5.xlarge"),
                "availability_zones", List.of("us-east-1a", "us-east-1b")));
    assertThat(errors()).isEmpty();
    assertThat(c.candidates().stream().map(Candidate::label))
        .containsExactly(
            "g6.xlarge in us-east-1a",
            "g6.xlarge in us-east-1b",
            "g5.xlarge in us-east-1a",
            "g5.xlarge in us-east-1b");
    assertThat(c.planPricePerHour()).contains(new BigDecimal("1.006"));
    assertThat(c.describe())
        .containsEntry("candidate 1", "g6.xlarge in us-east-1a: $0.8048/h")
        .containsEntry("candidate 4", "g5.xlarge in us-east-1b: $1.006/h");
    AwsConfig cheap =
        parse(
            AwsHarness.settings(
                "instance_type", List.of("g5.xlarge", "g6.xlarge"),
                "subnet_id", List.of("subnet-0a", "subnet-0b"),
                "order", "price"));
    assertThat(cheap.candidates().stream().map(Candidate::label))
        .containsExactly(
            "g6.xlarge in subnet-0a",
            "g6.xlarge in subnet-0b",
            "g5.xlarge in subnet-0a",
            "g5.xlarge in subnet-0b");
  }

  @Test
  void listsOfCandidatesAreChecked() {
    parse(
        AwsHarness.settings(
            "instance_type", List.of("g5.xlarge", "g5.xlarge", "G6"),
            "subnet_id", List.of("subnet-0a"),
            "availability_zones", List.of("eu-west-1a", "us-east-1"),
            "order", "cheapest"));
    assertThat(errors())
        .anyMatch(e -> e.startsWith("instance_type lists 'g5.xlarge' twice"))
        .anyMatch(e -> e.startsWith("instance_type 'G6' is not an EC2 instance type"))
        .anyMatch(
            e -> e.startsWith("availability zone 'eu-west-1a' is not in the region us-east-1"))
        .anyMatch(e -> e.startsWith("availability zone 'us-east-1' is not a zone name"))
        .anyMatch(e -> e.startsWith("both subnet_id and availability_zones are set"))
        .anyMatch(e -> e.startsWith("order 'cheapest' is not one of given, price"));
  }
}
