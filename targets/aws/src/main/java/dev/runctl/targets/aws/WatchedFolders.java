package dev.runctl.targets.aws;

import dev.runctl.engine.spi.StepLog;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The folders the run's detached processes watch (their checkpoints, copied to the bucket as they
 * change): each start records its folder, relative to the workdir, under {@code
 * runctl/runs/<run>/watch-paths/<name>}, so that provision puts every one back on a new instance
 * before any step uses it (a resume that does not train again still finds the checkpoints).
 */
final class WatchedFolders {
  private final S3Client s3;
  private final String bucket;
  private final RemoteShell shell;
  private final RemotePaths paths;

  WatchedFolders(S3Client s3, String bucket, RemoteShell shell, RemotePaths paths) {
    this.s3 = s3;
    this.bucket = bucket;
    this.shell = shell;
    this.paths = paths;
  }

  private String prefix() {
    return RemotePaths.runPrefix(paths.runId()) + "watch-paths/";
  }

  /** Records that process {@code name} watches {@code path} (relative to the workdir). */
  void remember(String name, String path) {
    String key = prefix() + RemotePaths.safeName(name);
    AwsErrors.run(
        "record the watched folder in s3://" + bucket,
        () ->
            s3.putObject(
                p -> p.bucket(bucket).key(key),
                RequestBody.fromString(path, StandardCharsets.UTF_8)));
  }

  /** Puts each recorded folder back from the bucket unless it has content; returns their names. */
  List<String> restore(StepLog log) throws InterruptedException {
    List<String> keys =
        AwsErrors.call(
            "list the watched folders in s3://" + bucket,
            () -> {
              try {
                return s3
                    .listObjectsV2Paginator(r -> r.bucket(bucket).prefix(prefix()))
                    .contents()
                    .stream()
                    .map(S3Object::key)
                    .toList();
              } catch (NoSuchBucketException e) {
                return List.<String>of(); // nothing was watched yet (sync checks the bucket)
              }
            });
    List<String> back = new ArrayList<>();
    for (String key : keys) {
      String name = key.substring(prefix().length());
      String path =
          AwsErrors.call(
              "read " + key,
              () -> s3.getObjectAsBytes(g -> g.bucket(bucket).key(key)).asUtf8String());
      Map<String, String> vars = new LinkedHashMap<>();
      vars.put("WATCH", paths.resolve(path));
      vars.put("BUCKET", bucket);
      vars.put("CKPT", RemotePaths.watchPrefix(paths.runId(), name));
      SsmRunner.Result r =
          shell.run(
              "restore " + path,
              RemoteShell.script(vars, RemoteShell.body("restore.sh")),
              Duration.ofMinutes(30));
      for (String line : r.stdout().split("\n")) {
        if (line.startsWith("@@restored ")) {
          log.line(
              "put back "
                  + path
                  + " ("
                  + line.substring(11).trim()
                  + " files) from s3://"
                  + bucket
                  + "/"
                  + RemotePaths.watchPrefix(paths.runId(), name));
          back.add(path);
        }
      }
    }
    return back;
  }
}
