package dev.runctl.targets.aws;

import dev.runctl.engine.ErrorCategory;
import dev.runctl.engine.RunctlException;
import dev.runctl.engine.spi.SecretRef;
import dev.runctl.engine.spi.TargetCheck;
import java.time.Duration;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;

/**
 * What reading or checking a secret in Secrets Manager ({@link SecretsManagerSecrets}) and
 * Parameter Store ({@link SsmParameters}) shares: a client with short timeouts in the given region
 * (else the AWS chain's), and the messages, which name the secret and never quote a value.
 */
final class SecretClients {
  private SecretClients() {}

  static <B extends AwsClientBuilder<B, ?> & AwsSyncClientBuilder<B, ?>> B configure(
      B builder, String region) {
    builder.httpClientBuilder(
        UrlConnectionHttpClient.builder()
            .connectionTimeout(Duration.ofSeconds(10))
            .socketTimeout(Duration.ofSeconds(30)));
    if (region != null) {
      builder.region(Region.of(region));
    }
    return builder;
  }

  static String code(AwsServiceException e) {
    return e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorCode();
  }

  static RunctlException problem(SecretRef ref, String what, String hint) {
    return new RunctlException(
        ErrorCategory.ENVIRONMENT, "secret " + ref.describe() + ": " + what, hint);
  }

  /** AWS answered no to runctl's identity; {@code permission} is what to allow it. */
  static RunctlException refused(SecretRef ref, AwsServiceException e, String permission) {
    return problem(
        ref,
        "AWS refused to read it (" + code(e) + ")",
        "allow "
            + permission
            + " (and kms:Decrypt on its key) to runctl's AWS identity; see"
            + " docs/aws.md");
  }

  static RunctlException unreachable(SecretRef ref, String service, SdkException e) {
    return problem(
        ref,
        "cannot reach " + service + ": " + e.getMessage(),
        "check the AWS credentials and region (aws sts get-caller-identity)");
  }

  /** A check that failed with {@code e}'s message and hint. */
  static TargetCheck failed(SecretRef ref, RunctlException e) {
    return TargetCheck.failed(
        "secret " + ref.name(), e.getMessage(), e.hint().orElse("see docs/aws.md"));
  }

  static TargetCheck ok(SecretRef ref, String detail) {
    return TargetCheck.ok("secret " + ref.name(), ref.describe() + " " + detail);
  }
}
