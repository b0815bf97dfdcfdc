package dev.runctl.targets.aws;

import dev.runctl.engine.RunctlException;
import dev.runctl.engine.json.Json;
import dev.runctl.engine.spi.SecretRef;
import dev.runctl.engine.spi.TargetCheck;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * Reads one Secrets Manager secret for {@link AwsSecretSecretSource}, or checks one that an
 * instance will fetch. No message it makes quotes the secret's text, not even when that text is not
 * the JSON a {@code key} expects.
 */
final class SecretsManagerSecrets {
  private SecretsManagerSecrets() {}

  static String read(SecretRef ref) {
    String region = ref.settings().get("region");
    try (SecretsManagerClient sm =
        SecretClients.configure(SecretsManagerClient.builder(), region).build()) {
      return value(ref, sm);
    } catch (ResourceNotFoundException e) {
      throw missing(ref, region);
    } catch (SecretsManagerException e) {
      throw SecretClients.refused(ref, e, "secretsmanager:GetSecretValue on the secret");
    } catch (SdkException e) {
      throw SecretClients.unreachable(ref, "Secrets Manager", e);
    }
  }

  /**
   * {@code plan --check} of a secret the instance fetches in {@code region}: DescribeSecret, and
   * with {@code key:} the value's field, when runctl's identity may read the value (it is dropped).
   */
  static TargetCheck check(SecretRef ref, String region) {
    try (SecretsManagerClient sm =
        SecretClients.configure(SecretsManagerClient.builder(), region).build()) {
      DescribeSecretResponse d;
      try {
        d = sm.describeSecret(r -> r.secretId(ref.locator()));
      } catch (ResourceNotFoundException e) {
        return SecretClients.failed(ref, missing(ref, region));
      } catch (SecretsManagerException e) {
        return SecretClients.failed(
            ref,
            SecretClients.problem(
                ref,
                "AWS refused to look at it (" + SecretClients.code(e) + ")",
                "allow secretsmanager:DescribeSecret on it to runctl's AWS identity for plan"
                    + " --check (docs/aws.md)"));
      }
      if (d.deletedDate() != null) {
        return SecretClients.failed(
            ref,
            SecretClients.problem(
                ref,
                "it is scheduled for deletion",
                "aws secretsmanager restore-secret --secret-id " + ref.locator()));
      }
      String key = ref.settings().get("key");
      if (key == null) {
        return SecretClients.ok(ref, "exists in " + region + "; the instance role reads it");
      }
      try {
        value(ref, sm);
        return SecretClients.ok(
            ref,
            "exists in " + region + " with the field '" + key + "'; the instance role reads it");
      } catch (SecretsManagerException e) {
        return SecretClients.ok(
            ref,
            "exists in "
                + region
                + "; its field '"
                + key
                + "' is not checked: runctl's identity may not read the value ("
                + SecretClients.code(e)
                + "), which only the instance role needs");
      }
    } catch (RunctlException e) {
      return SecretClients.failed(ref, e);
    } catch (SdkException e) {
      return SecretClients.failed(ref, SecretClients.unreachable(ref, "Secrets Manager", e));
    }
  }

  private static String value(SecretRef ref, SecretsManagerClient sm) {
    String text = sm.getSecretValue(r -> r.secretId(ref.locator())).secretString();
    if (text == null || text.isEmpty()) {
      throw SecretClients.problem(
          ref, "the secret holds no SecretString", "store the value as a string");
    }
    String key = ref.settings().get("key");
    return key == null ? text : field(ref, text, key);
  }

  private static String field(SecretRef ref, String json, String key) {
    try (JsonParser p = Json.parser(json)) {
      if (p.nextToken() == JsonToken.START_OBJECT) {
        for (JsonToken t = p.nextToken(); t == JsonToken.PROPERTY_NAME; t = p.nextToken()) {
          String name = p.currentName();
          JsonToken value = p.nextToken();
          if (name.equals(key) && value.isScalarValue() && value != JsonToken.VALUE_NULL) {
            return p.getString();
          }
          p.skipChildren();
        }
        throw SecretClients.problem(
            ref, "its JSON has no field '" + key + "'", "fix key: or the secret");
      }
    } catch (JacksonException e) {
      // fall through: said without quoting the text
    }
    throw SecretClients.problem(
        ref,
        "key: '" + key + "' needs the secret to hold a JSON object, and it does not",
        "leave key: out to use the whole SecretString, or store a JSON object");
  }

  private static RunctlException missing(SecretRef ref, String region) {
    return SecretClients.problem(
        ref,
        "the secret does not exist" + (region != null ? " in " + region : ""),
        "create it (aws secretsmanager create-secret --name "
            + ref.locator()
            + " --secret-string ...) or fix the name; the region comes from region:, or the"
            + " target's region on the aws target, else the AWS chain");
  }
}
