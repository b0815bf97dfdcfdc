package dev.runctl.targets.aws;

import dev.runctl.engine.spi.SecretRef;
import dev.runctl.engine.spi.SecretSource;
import dev.runctl.engine.spi.SettingsSchema;

/**
 * {@code NAME: {aws_secret: name-or-arn, key: field}}: a secret of AWS Secrets Manager, its
 * SecretString whole or, with {@code key}, one field of the JSON object it holds; read with the
 * credentials and region of runctl's own AWS chain, or {@code region:}, where runctl reads it; the
 * aws target fetches it on its instance instead ({@code InstanceSecrets}). Loading this class loads
 * no SDK class: {@link SecretsManagerSecrets} does, when a secret is read.
 */
public final class AwsSecretSecretSource implements SecretSource {
  public static final SettingsSchema SCHEMA =
      SettingsSchema.of(
          """
          {
            "description": "A secret of AWS Secrets Manager.",
            "type": "object",
            "required": ["aws_secret"],
            "additionalProperties": false,
            "properties": {
              "aws_secret": {"description": "The secret's name (hf/token) or ARN.",
                             "type": "string", "minLength": 1},
              "key": {"description": "A field of the JSON object the secret holds; absent: the whole SecretString.",
                      "type": "string", "minLength": 1},
              "region": {"description": "Its region. Default: on the aws target the target's (or the ARN's); elsewhere the AWS chain's (AWS_REGION, the profile).",
                         "type": "string", "minLength": 1}
            }
          }
          """);

  @Override
  public String name() {
    return "aws_secret";
  }

  @Override
  public SettingsSchema settings() {
    return SCHEMA;
  }

  @Override
  public String read(SecretRef ref) {
    return SecretsManagerSecrets.read(ref);
  }
}
