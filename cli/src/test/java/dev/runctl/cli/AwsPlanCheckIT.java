package dev.runctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runctl.targets.aws.moto.MotoServer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;

/** {@code runctl plan --check} on the aws example, against moto_server: each check ok or a fix. */
class AwsPlanCheckIT {
  @RegisterExtension static final MotoServer MOTO = new MotoServer();
  @TempDir Path dir;
  MotoProject aws;

  @BeforeEach
  void setUp() throws Exception {
    aws = new MotoProject(MOTO, dir, "runctl-check");
  }

  @AfterEach
  void tearDown() {
    aws.close();
  }

  @Test
  void theChecksSayWhatIsMissingAndPassOnceItIsThere() throws Exception {
    String text =
        Files.readString(Path.of("../specs/examples/aws-spot-gpu.yaml"))
            .replace("bucket: my-runctl-bucket", "bucket: runctl-check")
            .replaceAll(
                "ssm_parameter: .*",
                "ssm_parameter: /aws/service/ami-amazon-linux-latest/al2023-ami-kernel-6.1-x86_64")
            .replace("workdir: ../..", "workdir: .")
            .replace("training/requirements-torch.txt", "training/requirements.txt")
            .replace("training/torch_mnist.py", "training/tiny_mlp.py");
    Path spec = aws.project.resolve("aws.yaml");
    Files.writeString(spec, text.replace("bucket: runctl-check", "bucket: runctl-absent"));

    Runctl.Result missing = aws.runctl.run("plan", "--check", spec.toString());
    assertThat(missing.exitCode()).as(missing.toString()).isEqualTo(1);
    assertThat(missing.stdout())
        .containsPattern("ok +credentials: access key \\.\\.\\.ting works in us-east-1")
        .containsPattern("FAILED +bucket: .*runctl-absent")
        .containsPattern("ok +image: ami-")
        // moto answers for any profile name, with no role in it
        .containsPattern("FAILED +instance profile: runctl-ssm exists but holds no role")
        .contains("--instance-profile-name runctl-ssm --role-name runctl-instance");

    try (IamClient iam =
        IamClient.builder()
            .httpClient(UrlConnectionHttpClient.builder().build())
            .endpointOverride(URI.create(MOTO.endpoint()))
            .region(Region.AWS_GLOBAL)
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
            .build()) {
      iam.createRole(r -> r.roleName("runctl-instance").assumeRolePolicyDocument("{}"));
      try {
        iam.createInstanceProfile(r -> r.instanceProfileName("runctl-ssm"));
      } catch (software.amazon.awssdk.services.iam.model.EntityAlreadyExistsException e) {
        // moto made it when it was looked up
      }
      iam.addRoleToInstanceProfile(
          r -> r.instanceProfileName("runctl-ssm").roleName("runctl-instance"));
    }
    Files.writeString(spec, text);
    Runctl.Result ok = aws.runctl.run("plan", "--check", spec.toString());
    assertThat(ok.exitCode()).as(ok.toString()).isZero();
    assertThat(ok.stdout())
        .containsPattern("ok +bucket: s3://runctl-check is there")
        .containsPattern("ok +instance profile: runctl-ssm with role runctl-instance");
  }
}
