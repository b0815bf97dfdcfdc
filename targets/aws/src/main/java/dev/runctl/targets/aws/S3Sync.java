package dev.runctl.targets.aws;

import dev.runctl.engine.spi.StepException;
import dev.runctl.engine.spi.SyncRequest;
import dev.runctl.engine.spi.SyncResult;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Sync through S3: the blobs the bucket lacks are uploaded ({@link BlobStore}), then the manifest,
 * then ONE SSM command ({@code remote/layout.py}) fetches the blobs the instance lacks and lays out
 * the workdir: same layout, modes kept, files dropped from the manifest deleted, and the paths
 * later steps need checked. The first pull on an instance checks its role's access to the bucket
 * too ({@link InstanceAccess}), in the same command.
 */
final class S3Sync {
  private final S3Client s3;
  private final String bucket;
  private final BlobStore blobs;
  private final RemoteShell shell;
  private final RemotePaths paths;
  private final Runnable bucketCheck;
  private final InstanceAccess access;

  S3Sync(
      S3Client s3,
      String bucket,
      BlobStore blobs,
      RemoteShell shell,
      RemotePaths paths,
      Runnable bucketCheck,
      InstanceAccess access) {
    this.s3 = s3;
    this.bucket = bucket;
    this.blobs = blobs;
    this.shell = shell;
    this.paths = paths;
    this.bucketCheck = bucketCheck;
    this.access = access;
  }

  SyncResult sync(SyncRequest request) throws InterruptedException {
    bucketCheck.run();
    BlobStore.Uploaded sent =
        blobs.ensure(request.localRoot(), request.files(), request.progress());
    byte[] manifest = Json.manifest(request.files());
    String sha = HexFormat.of().formatHex(BlobStore.sha256(manifest));
    // content-addressed like the files: a first pull that fetches every blob gets it with them
    String key = RemotePaths.blobPrefix() + sha;
    if (!blobs.isKnown(key)) {
      AwsErrors.run(
          "upload the manifest to s3://" + bucket,
          () -> s3.putObject(p -> p.bucket(bucket).key(key), RequestBody.fromBytes(manifest)));
      blobs.remember(Set.of(key));
    }
    Json.Layout result = layout(key, sha, request);
    if (!result.missingBlobs().isEmpty()) {
      // the bucket lost blobs the cache said it had: forget the cache and send them again
      blobs.forget();
      BlobStore.Uploaded again =
          blobs.ensure(request.localRoot(), request.files(), request.progress());
      sent = new BlobStore.Uploaded(sent.files() + again.files(), sent.bytes() + again.bytes());
      result = layout(key, sha, request);
      if (!result.missingBlobs().isEmpty()) {
        throw StepException.transientError(
            "The instance could not fetch "
                + String.join(", ", result.missingBlobs())
                + " from s3://"
                + bucket
                + "/"
                + RemotePaths.blobPrefix(),
            "check that the instance role may s3:GetObject and s3:ListBucket on the bucket",
            null);
      }
    }
    request
        .progress()
        .accept(
            "synced "
                + request.files().size()
                + " files: "
                + sent.files()
                + " uploaded, "
                + result.written()
                + " written and "
                + result.deleted()
                + " deleted on "
                + shell.instanceId());
    return new SyncResult(sent.files(), sent.bytes(), (int) result.deleted(), result.missing());
  }

  private Json.Layout layout(String key, String sha, SyncRequest request)
      throws InterruptedException {
    List<String> required = request.mustExist();
    Map<String, String> env = new LinkedHashMap<>();
    env.put("RUNCTL_WORK", paths.workdir());
    env.put("RUNCTL_STATE", paths.state());
    env.put("RUNCTL_BLOBS", paths.blobs());
    env.put("RUNCTL_BUCKET", bucket);
    env.put("RUNCTL_BLOB_PREFIX", RemotePaths.blobPrefix());
    env.put("RUNCTL_MANIFEST_KEY", key);
    env.put("RUNCTL_MANIFEST_SHA", sha);
    env.put("RUNCTL_REQUIRED", Json.list(required));
    env.put("RUNCTL_REQUIRED_LINES", String.join("\n", required));
    env.put("RUNCTL_ACCESS_KEY", access.probeKey().orElse(""));
    env.put("RUNCTL_FILES", Integer.toString(request.files().size()));
    String pack = BlobPack.key(paths.runId(), sha);
    env.put("RUNCTL_PACK_KEY", blobs.isKnown(pack) ? pack : "");
    String script =
        Shell.assignments(env, true)
            + RemoteShell.body("layout-unchanged.sh")
            + "python3 - <<'RUNCTL_LAYOUT_EOF'\n"
            + RemoteShell.body("layout.py")
            + "RUNCTL_LAYOUT_EOF\n";
    SsmRunner.Result r = shell.run("lay out the workdir", script, Duration.ofMinutes(30));
    String line =
        r.stdout()
            .lines()
            .filter(l -> l.startsWith("@@result "))
            .findFirst()
            .orElseThrow(
                () ->
                    StepException.transientError(
                        "Laying out the workdir on " + shell.instanceId() + " reported nothing",
                        "see the step log",
                        null));
    r.stdout()
        .lines()
        .filter(l -> l.startsWith("@@times "))
        .findFirst()
        .ifPresent(
            l -> request.progress().accept("on " + shell.instanceId() + ": " + l.substring(8)));
    Json.Layout result;
    try {
      result = Json.layout(line.substring("@@result ".length()));
    } catch (IllegalArgumentException e) {
      throw StepException.transientError(
          "Laying out the workdir on " + shell.instanceId() + " reported " + e.getMessage(),
          "see the step log",
          e);
    }
    access.verdict(result.access(), result.accessError());
    return result;
  }
}
