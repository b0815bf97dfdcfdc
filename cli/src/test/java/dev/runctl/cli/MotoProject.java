package dev.runctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runctl.targets.aws.moto.MotoClients;
import dev.runctl.targets.aws.moto.MotoServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * What the aws CLI tests share: a bucket on the class's moto_server, a project folder with the
 * bundled training script, the real CLI with the moto endpoint in its environment (as a user would
 * set it), the runs a test made, and the check that none of their instances is left running.
 */
final class MotoProject implements AutoCloseable {
  private final MotoClients clients = new MotoClients();
  final S3Client s3 = clients.s3;
  final Runctl runctl;
  final String bucket;
  final Path project;
  private final List<String> runIds = new ArrayList<>();

  MotoProject(MotoServer moto, Path dir, String bucket) throws IOException {
    this.bucket = bucket;
    s3.createBucket(b -> b.bucket(bucket));
    project = dir.resolve("project");
    Path training = Files.createDirectories(project.resolve("training"));
    for (String f : List.of("tiny_mlp.py", "requirements.txt")) {
      Files.copy(Path.of("../training").resolve(f), training.resolve(f));
    }
    runctl =
        new Runctl(dir)
            .env("AWS_ENDPOINT_URL", moto.endpoint())
            .env("AWS_ACCESS_KEY_ID", "testing")
            .env("AWS_SECRET_ACCESS_KEY", "testing")
            .env("AWS_REGION", "us-east-1")
            .env("AWS_PROFILE", null);
  }

  /** Remembers a run, so that {@link #close} checks its instances. */
  String run(String runId) {
    runIds.add(runId);
    return runId;
  }

  /** Every instance ever tagged with {@code runId}, terminated ones included. */
  List<Instance> instances(String runId) {
    return clients.instancesOf(runId);
  }

  /** Fails when an instance of a remembered run is not terminated; closes the clients. */
  @Override
  public void close() {
    try {
      for (String runId : runIds) {
        assertThat(instances(runId))
            .as("instances of " + runId)
            .allMatch(i -> i.state().nameAsString().equals("terminated"));
      }
    } finally {
      clients.close();
    }
  }
}
