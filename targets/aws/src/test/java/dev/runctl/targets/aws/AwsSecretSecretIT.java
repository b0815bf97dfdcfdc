package dev.runctl.targets.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runctl.engine.RunctlException;
import dev.runctl.engine.spi.Position;
import dev.runctl.engine.spi.SecretRef;
import dev.runctl.targets.aws.moto.MotoServer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/** {@code {aws_secret: name, key: field}} against moto's Secrets Manager over HTTP. */
class AwsSecretSecretIT {
  @RegisterExtension static final MotoServer MOTO = new MotoServer();

  private static final String TOKEN = "hf_MotoSecretToken99";

  private static SecretRef ref(String id, String key) {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("aws_secret", id);
    if (key != null) {
      settings.put("key", key);
    }
    return new SecretRef("HF_TOKEN", "aws_secret", settings, Path.of("."), Position.UNKNOWN);
  }

  private static void put(String name, String text) {
    try (SecretsManagerClient sm =
        SecretsManagerClient.builder().httpClient(UrlConnectionHttpClient.create()).build()) {
      sm.createSecret(r -> r.name(name).secretString(text));
    }
  }

  @Test
  void theWholeStringOrOneFieldOfItsJsonIsRead() {
    put("hf/plain", TOKEN);
    put("hf/json", "{\"user\": \"me\", \"token\": \"" + TOKEN + "\"}");
    AwsSecretSecretSource source = new AwsSecretSecretSource();
    assertThat(source.read(ref("hf/plain", null))).isEqualTo(TOKEN);
    assertThat(source.read(ref("hf/json", "token"))).isEqualTo(TOKEN);
    assertThatThrownBy(() -> source.read(ref("hf/json", "nope")))
        .hasMessage("secret HF_TOKEN (aws_secret: hf/json): its JSON has no field 'nope'");
    assertThatThrownBy(() -> source.read(ref("hf/plain", "token")))
        .isInstanceOf(RunctlException.class)
        .hasMessageContaining("needs the secret to hold a JSON object")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(TOKEN));
  }

  @Test
  void aMissingSecretIsSaidByNameWithHowToCreateIt() {
    assertThatThrownBy(() -> new AwsSecretSecretSource().read(ref("hf/absent", null)))
        .hasMessage("secret HF_TOKEN (aws_secret: hf/absent): the secret does not exist")
        .satisfies(
            e -> assertThat(((RunctlException) e).hint().orElse("")).contains("create-secret"));
  }
}
