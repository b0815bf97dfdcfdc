package dev.runctl.targets.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runctl.engine.RunctlException;
import dev.runctl.engine.spi.Position;
import dev.runctl.engine.spi.SecretRef;
import dev.runctl.targets.aws.moto.MotoServer;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/** {@code {aws_parameter: /path}} against moto's Parameter Store over HTTP. */
class AwsParameterSecretIT {
  @RegisterExtension static final MotoServer MOTO = new MotoServer();

  private static final String VALUE = "wandb-Secure-Value-4242";

  private static SecretRef ref(String name, String path) {
    return new SecretRef(
        name, "aws_parameter", Map.of("aws_parameter", path), Path.of("."), Position.UNKNOWN);
  }

  @Test
  void aSecureStringIsReadDecrypted() {
    try (SsmClient ssm = SsmClient.builder().httpClient(UrlConnectionHttpClient.create()).build()) {
      ssm.putParameter(
          r -> r.name("/ml/wandb").value(VALUE).type(ParameterType.SECURE_STRING).overwrite(true));
    }
    assertThat(new AwsParameterSecretSource().read(ref("WANDB_API_KEY", "/ml/wandb")))
        .isEqualTo(VALUE);
  }

  @Test
  void aMissingParameterIsSaidByNameWithHowToCreateIt() {
    assertThatThrownBy(() -> new AwsParameterSecretSource().read(ref("HF_TOKEN", "/ml/absent")))
        .isInstanceOf(RunctlException.class)
        .hasMessage("secret HF_TOKEN (aws_parameter: /ml/absent): the parameter does not exist")
        .satisfies(
            e -> assertThat(((RunctlException) e).hint().orElse("")).contains("put-parameter"));
  }
}
