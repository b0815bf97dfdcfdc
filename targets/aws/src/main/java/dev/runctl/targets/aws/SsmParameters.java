package dev.runctl.targets.aws;

import dev.runctl.engine.ErrorCategory;
import dev.runctl.engine.RunctlException;
import dev.runctl.engine.spi.SecretRef;
import java.time.Duration;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.SsmClientBuilder;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;
import software.amazon.awssdk.services.ssm.model.SsmException;

/** Reads one Parameter Store parameter for {@link AwsParameterSecretSource}. */
final class SsmParameters {
  private SsmParameters() {}

  static String read(SecretRef ref) {
    SsmClientBuilder b =
        SsmClient.builder()
            .httpClientBuilder(
                UrlConnectionHttpClient.builder()
                    .connectionTimeout(Duration.ofSeconds(10))
                    .socketTimeout(Duration.ofSeconds(30)));
    String region = ref.settings().get("region");
    if (region != null) {
      b.region(Region.of(region));
    }
    try (SsmClient ssm = b.build()) {
      String value =
          ssm.getParameter(r -> r.name(ref.locator()).withDecryption(true)).parameter().value();
      if (value == null || value.isEmpty()) {
        throw problem(ref, "the parameter is empty", "put the secret into it");
      }
      return value;
    } catch (ParameterNotFoundException e) {
      throw problem(
          ref,
          "the parameter does not exist" + (region != null ? " in " + region : ""),
          "create it (aws ssm put-parameter --type SecureString --name "
              + ref.locator()
              + " --value ...) or fix the name; the region comes from region: or the AWS chain");
    } catch (SsmException e) {
      String code = e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorCode();
      throw problem(
          ref,
          "AWS refused to read it (" + code + ")",
          "allow ssm:GetParameter on the parameter (and kms:Decrypt on its key) to runctl's AWS"
              + " identity; see docs/aws.md");
    } catch (SdkException e) {
      throw problem(
          ref,
          "cannot reach Parameter Store: " + e.getMessage(),
          "check the AWS credentials and region (aws sts get-caller-identity)");
    }
  }

  private static RunctlException problem(SecretRef ref, String what, String hint) {
    return new RunctlException(
        ErrorCategory.ENVIRONMENT, "secret " + ref.describe() + ": " + what, hint);
  }
}
