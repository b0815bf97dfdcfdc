package dev.runctl.targets.aws;

import dev.runctl.engine.spi.SecretRef;
import dev.runctl.engine.spi.TargetCheck;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterMetadata;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;
import software.amazon.awssdk.services.ssm.model.ParameterStringFilter;
import software.amazon.awssdk.services.ssm.model.SsmException;

/**
 * Reads one Parameter Store parameter for {@link AwsParameterSecretSource}, or checks that one an
 * instance will fetch exists (its metadata only: no value is read).
 */
final class SsmParameters {
  private SsmParameters() {}

  static String read(SecretRef ref) {
    String region = ref.settings().get("region");
    try (SsmClient ssm = SecretClients.configure(SsmClient.builder(), region).build()) {
      String value =
          ssm.getParameter(r -> r.name(ref.locator()).withDecryption(true)).parameter().value();
      if (value == null || value.isEmpty()) {
        throw SecretClients.problem(ref, "the parameter is empty", "put the secret into it");
      }
      return value;
    } catch (ParameterNotFoundException e) {
      throw missing(ref, region);
    } catch (SsmException e) {
      throw SecretClients.refused(ref, e, "ssm:GetParameter on the parameter");
    } catch (SdkException e) {
      throw SecretClients.unreachable(ref, "Parameter Store", e);
    }
  }

  /** {@code plan --check} of a parameter the instance fetches in {@code region}. */
  static TargetCheck check(SecretRef ref, String region) {
    try (SsmClient ssm = SecretClients.configure(SsmClient.builder(), region).build()) {
      List<ParameterMetadata> found =
          ssm.describeParameters(
                  d ->
                      d.parameterFilters(
                          ParameterStringFilter.builder()
                              .key("Name")
                              .option("Equals")
                              .values(ref.locator())
                              .build()))
              .parameters();
      if (found.isEmpty()) {
        return SecretClients.failed(ref, missing(ref, region));
      }
      String type = found.get(0).typeAsString();
      return SecretClients.ok(
          ref,
          "exists in "
              + region
              + " ("
              + type
              + (type.equals("SecureString") ? "" : ": stored in clear, a SecureString is safer")
              + "); the instance role reads it");
    } catch (SsmException e) {
      return SecretClients.failed(
          ref,
          SecretClients.problem(
              ref,
              "AWS refused to look at it (" + SecretClients.code(e) + ")",
              "allow ssm:DescribeParameters to runctl's AWS identity for plan --check (docs/aws.md)"));
    } catch (SdkException e) {
      return SecretClients.failed(ref, SecretClients.unreachable(ref, "Parameter Store", e));
    }
  }

  private static dev.runctl.engine.RunctlException missing(SecretRef ref, String region) {
    return SecretClients.problem(
        ref,
        "the parameter does not exist" + (region != null ? " in " + region : ""),
        "create it (aws ssm put-parameter --type SecureString --name "
            + ref.locator()
            + " --value ...) or fix the name; the region comes from region:, or the target's"
            + " region on the aws target, else the AWS chain");
  }
}
