package dev.runctl.targets.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runctl.engine.spi.Position;
import dev.runctl.engine.spi.RunSecrets;
import dev.runctl.engine.spi.SecretRef;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InstanceSecretsTest {
  private static SecretRef ref(String name, String source, Map<String, String> settings) {
    return new SecretRef(name, source, settings, Path.of("."), Position.UNKNOWN);
  }

  private static final SecretRef HF =
      ref("HF", "aws_secret", Map.of("aws_secret", "hf/token", "key", "token"));
  private static final SecretRef DB =
      ref("DB", "aws_parameter", Map.of("aws_parameter", "/ml/db", "region", "eu-west-1"));

  @Test
  void theFetchListNamesWhereEachLivesAndTheEnvironmentKeepsNoSecret() {
    InstanceSecrets s =
        new InstanceSecrets(new RunSecrets(Map.of(), List.of(HF, DB)), null, "run-1", "us-east-1");
    InstanceSecrets.Delivery d = s.deliver(Map.of("PLAIN", "x", "DB", "set by env:"));
    assertThat(d.env()).containsOnlyKeys("PLAIN", "DB");
    assertThat(d.names()).as("DB is overridden by the spec's env:").containsExactly("HF");
    assertThat(d.fetch())
        .isEqualTo(
            "[{\"name\":\"HF\",\"kind\":\"aws_secret\",\"id\":\"hf/token\",\"key\":\"token\","
                + "\"region\":\"us-east-1\"}]");
  }

  @Test
  void aValueTheSpecsEnvReplacedStaysInTheEnvironmentAndNothingIsStored() {
    // the vault is not touched: it would fail without a client
    InstanceSecrets s =
        new InstanceSecrets(
            new RunSecrets(Map.of("WB", "secret-value"), List.of()), null, "run-1", "us-east-1");
    InstanceSecrets.Delivery d = s.deliver(Map.of("WB", "from env:"));
    assertThat(d.none()).isTrue();
    assertThat(d.env()).containsEntry("WB", "from env:");
  }

  @Test
  void theRegionIsTheSecretsThenItsArnsThenTheTargets() {
    assertThat(InstanceSecrets.regionOf(DB, "us-east-1")).isEqualTo("eu-west-1");
    assertThat(
            InstanceSecrets.regionOf(
                ref(
                    "X",
                    "aws_secret",
                    Map.of("aws_secret", "arn:aws:secretsmanager:ap-south-1:1234:secret:x-AbCdEf")),
                "us-east-1"))
        .isEqualTo("ap-south-1");
    assertThat(InstanceSecrets.regionOf(HF, "us-east-1")).isEqualTo("us-east-1");
  }

  @Test
  void aLongValueIsSplitIntoPartsOfAtMost4KbNeverInsideACharacter() {
    String ascii = "a".repeat(9000);
    assertThat(SecretVault.split(ascii))
        .extracting(String::length)
        .containsExactly(4096, 4096, 808);
    String wide = "ü€".repeat(1500) + "😀".repeat(700);
    List<String> parts = SecretVault.split(wide);
    assertThat(String.join("", parts)).isEqualTo(wide);
    for (String p : parts) {
      assertThat(p.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(4096);
      assertThat(Character.isLowSurrogate(p.charAt(0))).isFalse();
    }
    assertThat(parts).hasSizeGreaterThan(2);
    assertThat(SecretVault.split("short")).containsExactly("short");
  }
}
