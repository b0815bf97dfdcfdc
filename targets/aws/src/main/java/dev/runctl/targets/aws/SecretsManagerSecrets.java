package dev.runctl.targets.aws;

import dev.runctl.engine.ErrorCategory;
import dev.runctl.engine.RunctlException;
import dev.runctl.engine.spi.SecretRef;
import java.time.Duration;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClientBuilder;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;

/**
 * Reads one Secrets Manager secret for {@link AwsSecretSecretSource}. No message it makes quotes
 * the secret's text, not even when that text is not the JSON a {@code key} expects.
 */
final class SecretsManagerSecrets {
  private static final JsonFactory FACTORY = new JsonFactory();

  private SecretsManagerSecrets() {}

  static String read(SecretRef ref) {
    SecretsManagerClientBuilder b =
        SecretsManagerClient.builder()
            .httpClientBuilder(
                UrlConnectionHttpClient.builder()
                    .connectionTimeout(Duration.ofSeconds(10))
                    .socketTimeout(Duration.ofSeconds(30)));
    String region = ref.settings().get("region");
    if (region != null) {
      b.region(Region.of(region));
    }
    String text;
    try (SecretsManagerClient sm = b.build()) {
      text = sm.getSecretValue(r -> r.secretId(ref.locator())).secretString();
    } catch (ResourceNotFoundException e) {
      throw problem(
          ref,
          "the secret does not exist" + (region != null ? " in " + region : ""),
          "create it (aws secretsmanager create-secret --name "
              + ref.locator()
              + " --secret-string ...) or fix the name; the region comes from region: or the AWS"
              + " chain");
    } catch (SecretsManagerException e) {
      String code = e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorCode();
      throw problem(
          ref,
          "AWS refused to read it (" + code + ")",
          "allow secretsmanager:GetSecretValue on the secret (and kms:Decrypt on its key) to"
              + " runctl's AWS identity; see docs/aws.md");
    } catch (SdkException e) {
      throw problem(
          ref,
          "cannot reach Secrets Manager: " + e.getMessage(),
          "check the AWS credentials and region (aws sts get-caller-identity)");
    }
    if (text == null || text.isEmpty()) {
      throw problem(ref, "the secret holds no SecretString", "store the value as a string");
    }
    String key = ref.settings().get("key");
    return key == null ? text : field(ref, text, key);
  }

  private static String field(SecretRef ref, String json, String key) {
    try (JsonParser p = FACTORY.createParser(ObjectReadContext.empty(), json)) {
      if (p.nextToken() == JsonToken.START_OBJECT) {
        for (JsonToken t = p.nextToken(); t == JsonToken.PROPERTY_NAME; t = p.nextToken()) {
          String name = p.currentName();
          JsonToken value = p.nextToken();
          if (name.equals(key) && value.isScalarValue() && value != JsonToken.VALUE_NULL) {
            return p.getString();
          }
          p.skipChildren();
        }
        throw problem(ref, "its JSON has no field '" + key + "'", "fix key: or the secret");
      }
    } catch (JacksonException e) {
      // fall through: said without quoting the text
    }
    throw problem(
        ref,
        "key: '" + key + "' needs the secret to hold a JSON object, and it does not",
        "leave key: out to use the whole SecretString, or store a JSON object");
  }

  private static RunctlException problem(SecretRef ref, String what, String hint) {
    return new RunctlException(
        ErrorCategory.ENVIRONMENT, "secret " + ref.describe() + ": " + what, hint);
  }
}
