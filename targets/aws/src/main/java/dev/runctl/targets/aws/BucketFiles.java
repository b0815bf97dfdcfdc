package dev.runctl.targets.aws;

import dev.runctl.engine.spi.SharedStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Copies files from an instance to this machine through the bucket: the instance puts them under
 * {@code runctl/runs/<run>/fetch/<id>/}, runctl downloads them and deletes the objects.
 */
final class BucketFiles {
  private final S3Client s3;
  private final String bucket;
  private final String runId;

  BucketFiles(S3Client s3, String bucket, String runId) {
    this.s3 = s3;
    this.bucket = bucket;
    this.runId = runId;
  }

  /**
   * The bucket as a store shared by every run's instances: {@code aws s3 sync} of a folder under
   * {@code runctl/cache/}, retried as runctl's own AWS CLI calls are ({@code aws-cli.sh}).
   */
  SharedStore sharedStore() {
    String store = "s3://" + bucket + "/" + RemotePaths.sharedPrefix() + "{key}/";
    List<String> aws =
        List.of(
            "env",
            "AWS_RETRY_MODE=standard",
            "AWS_MAX_ATTEMPTS=10",
            "aws",
            "s3",
            "sync",
            "--only-show-errors");
    List<String> pull = new java.util.ArrayList<>(aws);
    pull.addAll(List.of(store, "{dir}"));
    List<String> push = new java.util.ArrayList<>(aws);
    push.addAll(List.of("{dir}", store));
    return new SharedStore(pull, push);
  }

  void fetch(RemoteShell shell, String absolutePath, Path destination) throws InterruptedException {
    String name = absolutePath.replaceAll("/+$", "");
    name = name.substring(name.lastIndexOf('/') + 1);
    String prefix = RemotePaths.runPrefix(runId) + "fetch/" + UUID.randomUUID() + "/";
    String target = "s3://" + bucket + "/" + prefix + name;
    SsmRunner.Result r =
        shell.run(
            "copy " + absolutePath + " to the bucket",
            RemoteShell.script(
                Map.of("P", absolutePath, "T", target),
                "[ -e \"$P\" ] || { echo @@absent; exit 0; }\n"
                    + "if [ -d \"$P\" ]; then runctl_aws s3 sync --only-show-errors \"$P\" \"$T/\" || exit"
                    + " 97\n"
                    + "else runctl_aws s3 cp --only-show-errors \"$P\" \"$T\" || exit 97; fi\n"
                    + "echo @@copied"),
            Duration.ofMinutes(60));
    if (r.stdout().contains("@@absent")) {
      return;
    }
    List<S3Object> objects =
        AwsErrors.call(
            "list s3://" + bucket + "/" + prefix,
            () ->
                s3.listObjectsV2Paginator(l -> l.bucket(bucket).prefix(prefix)).contents().stream()
                    .toList());
    try {
      for (S3Object o : objects) {
        Path dest = destination.resolve(o.key().substring(prefix.length())).normalize();
        if (!dest.startsWith(destination.normalize())) {
          continue;
        }
        Files.createDirectories(dest.getParent());
        Files.deleteIfExists(dest);
        AwsErrors.run(
            "download " + o.key(), () -> s3.getObject(g -> g.bucket(bucket).key(o.key()), dest));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      for (S3Object o : objects) {
        AwsErrors.run("clean up", () -> s3.deleteObject(d -> d.bucket(bucket).key(o.key())));
      }
    }
  }
}
