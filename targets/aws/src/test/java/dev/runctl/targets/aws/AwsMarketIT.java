package dev.runctl.targets.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runctl.engine.spi.ErrorClass;
import dev.runctl.engine.spi.Machine;
import dev.runctl.engine.spi.MemoryFacts;
import dev.runctl.engine.spi.StepException;
import dev.runctl.engine.spi.Target;
import dev.runctl.engine.testing.RecordingLog;
import dev.runctl.targets.aws.moto.MotoServer;
import dev.runctl.targets.aws.support.AwsHarness;
import dev.runctl.targets.aws.support.AwsTargetIT;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ec2.model.Instance;

/** Market rules and image resolution against the patched moto_server. */
class AwsMarketIT extends AwsTargetIT {
  @RegisterExtension static final MotoServer MOTO = new MotoServer();

  @Override
  protected MotoServer moto() {
    return MOTO;
  }

  @Test
  void spotWithoutCapacityFailsAndNeverLaunchesOnDemand() {
    MOTO.faults("{\"capacity\": \"spot\"}");
    Target t =
        aws.open(
            "run-spot",
            new MemoryFacts(),
            AwsHarness.settings("market", "spot", "max_price", "0.6"));
    RecordingLog log = aws.log("run-spot", "provision");
    assertThatThrownBy(() -> t.provision(log))
        .isInstanceOf(StepException.class)
        .hasMessageContaining("Spot capacity for g5.xlarge in us-east-1 is not available")
        .hasMessageContaining("InsufficientInstanceCapacity")
        .satisfies(
            e -> {
              StepException s = (StepException) e;
              assertThat(s.errorClass()).isEqualTo(ErrorClass.ERROR);
              assertThat(s.retryable()).isTrue();
              assertThat(s.hint())
                  .get()
                  .asString()
                  .contains("spot_or_on_demand")
                  .contains("$1.006/h");
            });
    assertThat(aws.instancesOf("run-spot")).isEmpty();
    assertThat(MOTO.stats().get("run_instances")).isZero();
    assertThat(aws.warnings).isEmpty();
  }

  @Test
  void spotLaunchIsSpotWithTheCeiling() throws Exception {
    Target t =
        aws.open(
            "run-spot2",
            new MemoryFacts(),
            AwsHarness.settings("market", "spot", "max_price", "0.6"));
    RecordingLog log = aws.log("run-spot2", "provision");
    Machine m = t.provision(log);
    try {
      Instance i = aws.instancesOf("run-spot2").get(0);
      assertThat(i.instanceLifecycleAsString()).isEqualTo("spot");
      assertThat(m.describe())
          .containsEntry("market", "spot")
          .containsEntry("price_per_hour", "0.302");
      assertThat(aws.warnings).isEmpty();
    } finally {
      t.destroy(log);
    }
  }

  @Test
  void spotOrOnDemandFallsBackAndSaysSoWithBothPrices() throws Exception {
    MOTO.faults("{\"capacity\": \"spot\", \"spot_price\": \"0.4123\"}");
    Target t =
        aws.open(
            "run-fallback",
            new MemoryFacts(),
            AwsHarness.settings("market", "spot_or_on_demand", "max_price", "0.6"));
    RecordingLog log = aws.log("run-fallback", "provision");
    Machine m = t.provision(log);
    try {
      assertThat(aws.warnings)
          .singleElement()
          .asString()
          .contains("InsufficientInstanceCapacity")
          .contains("ON-DEMAND at $1.006/h")
          .contains("spot at $0.4123/h");
      assertThat(log.lines()).contains("WARNING: Spot capacity for g5.xlarge");
      Instance i = aws.instancesOf("run-fallback").get(0);
      assertThat(i.instanceLifecycleAsString()).isNull();
      assertThat(m.describe()).containsEntry("market", "on_demand");
      assertThat(aws.instancesOf("run-fallback")).hasSize(1);
    } finally {
      t.destroy(log);
    }
  }

  @Test
  void aSpotPriceAboveTheCeilingFallsBackOnlyWhenAllowed() throws Exception {
    MOTO.faults("{\"capacity\": \"spot_price\", \"spot_price\": \"0.9\"}");
    Target spot =
        aws.open(
            "run-price",
            new MemoryFacts(),
            AwsHarness.settings("market", "spot", "max_price", "0.5"));
    assertThatThrownBy(() -> spot.provision(aws.log("run-price", "provision")))
        .isInstanceOf(StepException.class)
        .hasMessageContaining("SpotMaxPriceTooLow")
        .satisfies(e -> assertThat(((StepException) e).retryable()).isFalse());
    assertThat(aws.instancesOf("run-price")).isEmpty();

    Target either =
        aws.open(
            "run-price2",
            new MemoryFacts(),
            AwsHarness.settings("market", "spot_or_on_demand", "max_price", "0.5"));
    RecordingLog log = aws.log("run-price2", "provision");
    either.provision(log);
    try {
      assertThat(aws.warnings)
          .singleElement()
          .asString()
          .contains("SpotMaxPriceTooLow")
          .contains("ON-DEMAND at $1.006/h instead of spot at $0.9/h (max_price $0.5/h)");
    } finally {
      either.destroy(log);
    }
  }

  @Test
  void imageById() throws Exception {
    String ami =
        aws.ec2.describeImages(r -> r.owners("amazon")).images().stream()
            .filter(i -> i.name().startsWith("amzn2-ami-hvm"))
            .findFirst()
            .orElseThrow()
            .imageId();
    assertThat(launchedImage("run-id", AwsHarness.settings("image", ami))).isEqualTo(ami);
  }

  @Test
  void imageBySsmParameter() throws Exception {
    String param = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-6.1-x86_64";
    String expected;
    try (var ssm =
        software.amazon.awssdk.services.ssm.SsmClient.builder()
            .httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create())
            .build()) {
      expected = ssm.getParameter(r -> r.name(param)).parameter().value();
    }
    assertThat(
            launchedImage("run-ssm", AwsHarness.settings("image", Map.of("ssm_parameter", param))))
        .isEqualTo(expected);
  }

  @Test
  void imageByNameTakesTheNewest() throws Exception {
    String older = register("runctl-test-dl-2025.01");
    Thread.sleep(1100);
    String newer = register("runctl-test-dl-2025.06");
    Thread.sleep(1100);
    register("other-image-2026");
    assertThat(older).isNotEqualTo(newer);
    assertThat(
            launchedImage(
                "run-name",
                AwsHarness.settings("image", Map.of("name", "runctl-test-dl-*", "owner", "self"))))
        .isEqualTo(newer);
  }

  @Test
  void unknownImageNameSaysHowToList() {
    Target t =
        aws.open(
            "run-noimg",
            new MemoryFacts(),
            AwsHarness.settings("image", Map.of("name", "no-such-*", "owner", "self")));
    assertThatThrownBy(() -> t.provision(aws.log("run-noimg", "provision")))
        .isInstanceOf(StepException.class)
        .hasMessageContaining("No image named \"no-such-*\" owned by self")
        .satisfies(e -> assertThat(((StepException) e).retryable()).isFalse());
  }

  @Test
  void unknownInstanceProfileIsExplained() {
    Target t =
        aws.open(
            "run-noprofile",
            new MemoryFacts(),
            AwsHarness.settings("iam_instance_profile", "nope"));
    assertThatThrownBy(() -> t.provision(aws.log("run-noprofile", "provision")))
        .isInstanceOf(StepException.class)
        .satisfies(
            e -> {
              StepException s = (StepException) e;
              assertThat(s.retryable()).isFalse();
              assertThat(s.hint()).as(s.getMessage()).get().asString().contains("instance profile");
            });
    assertThat(aws.instancesOf("run-noprofile")).isEmpty();
  }

  private String register(String name) {
    return aws.ec2
        .registerImage(
            r ->
                r.name(name)
                    .rootDeviceName("/dev/sda1")
                    .architecture("x86_64")
                    .virtualizationType("hvm"))
        .imageId();
  }

  private String launchedImage(String runId, dev.runctl.engine.spi.ConfigNode.Mapping settings)
      throws Exception {
    Target t = aws.open(runId, new MemoryFacts(), settings);
    RecordingLog log = aws.log(runId, "provision");
    t.provision(log);
    try {
      return aws.instancesOf(runId).get(0).imageId();
    } finally {
      t.destroy(log);
    }
  }
}
