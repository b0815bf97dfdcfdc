package dev.runctl.targets.aws;

import dev.runctl.engine.spi.SecretRef;
import dev.runctl.engine.spi.SecretSource;
import dev.runctl.engine.spi.SettingsSchema;

/**
 * {@code NAME: {aws_parameter: /path}}: a parameter of SSM Parameter Store (a SecureString is
 * decrypted), read with the credentials and region of runctl's own AWS chain, or {@code region:},
 * where runctl reads it; the aws target fetches it on its instance instead ({@code
 * InstanceSecrets}). Loading this class loads no SDK class: {@link SsmParameters} does, when a
 * secret is read.
 */
public final class AwsParameterSecretSource implements SecretSource {
  public static final SettingsSchema SCHEMA =
      SettingsSchema.of(
              """
              {
                "description": "A parameter of AWS SSM Parameter Store (SecureString or String).",
                "type": "object",
                "required": ["aws_parameter"],
                "additionalProperties": false,
                "properties": {
                  "aws_parameter": {"description": "The parameter's name (/ml/wandb) or ARN.",
                                    "type": "string", "pattern": "^(/|arn:)[^\\\\s]*$"},
                  "region": {"description": "Its region. Default: on the aws target the target's (or the ARN's); elsewhere the AWS chain's (AWS_REGION, the profile).",
                             "type": "string", "minLength": 1}
                }
              }
              """)
          .whenMalformed(
              "aws_parameter",
              "'%s' is not a parameter name",
              "a full name starting with '/', e.g. aws_parameter: /ml/wandb, or an ARN");

  @Override
  public String name() {
    return "aws_parameter";
  }

  @Override
  public SettingsSchema settings() {
    return SCHEMA;
  }

  @Override
  public String read(SecretRef ref) {
    return SsmParameters.read(ref);
  }
}
