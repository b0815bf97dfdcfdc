package dev.runctl.targets.aws;

import dev.runctl.engine.spi.StepException;
import dev.runctl.engine.spi.TargetCheck;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.InstanceProfile;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.Role;

/**
 * {@code runctl plan --check} for aws: the credentials work, the bucket is there and usable, the
 * image resolves, the instance profile exists. Only reads (Describe, Head, Get).
 */
final class AwsChecks {
  private AwsChecks() {}

  static List<TargetCheck> run(AwsConfig config) {
    List<TargetCheck> out = new ArrayList<>();
    AwsCredentials creds;
    try (DefaultCredentialsProvider chain = DefaultCredentialsProvider.builder().build()) {
      creds = chain.resolveCredentials();
    } catch (SdkException e) {
      out.add(
          TargetCheck.failed(
              "credentials",
              "the AWS SDK found no credentials: " + firstLine(e.getMessage()),
              "sign in: aws sso login, or aws configure, or set AWS_PROFILE"));
      return out;
    }
    try (AwsClients c = new AwsClients(config)) {
      TargetCheck signedIn =
          check(
              "credentials",
              () -> {
                AwsErrors.call(
                    "list instances", () -> c.ec2.describeInstances(r -> r.maxResults(5)));
                String key = creds.accessKeyId();
                return "access key ..."
                    + key.substring(Math.max(0, key.length() - 4))
                    + " works in "
                    + c.region();
              });
      out.add(signedIn);
      if (!signedIn.ok()) {
        return out;
      }
      out.add(
          check(
              "bucket",
              () -> {
                AwsErrors.run(
                    "look at s3://" + config.bucket(),
                    () -> c.s3.headBucket(r -> r.bucket(config.bucket())));
                return "s3://" + config.bucket() + " is there and readable";
              }));
      out.add(
          check(
              "image",
              () -> {
                ImageResolver.Resolved image =
                    new ImageResolver(c.ec2, c.ssm).resolve(config.image());
                return image.imageId() + " (" + image.name() + ")";
              }));
      out.add(profile(config.iamInstanceProfile()));
    }
    return out;
  }

  private static TargetCheck profile(String name) {
    try (IamClient iam =
        IamClient.builder()
            .httpClient(UrlConnectionHttpClient.builder().build())
            .region(Region.AWS_GLOBAL)
            .build()) {
      InstanceProfile p =
          iam.getInstanceProfile(r -> r.instanceProfileName(name)).instanceProfile();
      if (p.roles().isEmpty()) {
        return TargetCheck.failed(
            "instance profile",
            name + " exists but holds no role",
            "aws iam add-role-to-instance-profile --instance-profile-name "
                + name
                + " --role-name runctl-instance (docs/aws.md, The instance role)");
      }
      return TargetCheck.ok(
          "instance profile",
          name
              + " with role "
              + String.join(", ", p.roles().stream().map(Role::roleName).toList()));
    } catch (NoSuchEntityException e) {
      return TargetCheck.failed(
          "instance profile",
          "there is no instance profile " + name,
          "create it with its role (docs/aws.md, The instance role), or name another one");
    } catch (SdkException e) {
      return TargetCheck.failed(
          "instance profile",
          "cannot look up " + name + ": " + firstLine(e.getMessage()),
          "the identity needs iam:GetInstanceProfile for this check");
    }
  }

  private static TargetCheck check(String name, Supplier<String> look) {
    try {
      return TargetCheck.ok(name, look.get());
    } catch (StepException e) {
      return TargetCheck.failed(name, e.getMessage(), e.hint().orElse("see the message"));
    }
  }

  private static String firstLine(String s) {
    String t = s == null ? "" : s.strip();
    int nl = t.indexOf('\n');
    return nl < 0 ? t : t.substring(0, nl);
  }
}
