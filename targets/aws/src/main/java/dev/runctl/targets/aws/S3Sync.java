package dev.runctl.targets.aws;

import dev.runctl.engine.spi.ManifestEntry;
import dev.runctl.engine.spi.StepException;
import dev.runctl.engine.spi.SyncRequest;
import dev.runctl.engine.spi.SyncResult;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Sync through S3: the blobs the bucket lacks are uploaded ({@link BlobStore}), then the manifest,
 * then ONE SSM command ({@code remote/layout.py}) fetches the blobs the instance lacks and lays out
 * the workdir: same layout, modes kept, files dropped from the manifest deleted, and the paths
 * later steps need checked.
 */
final class S3Sync {
  private static final Pattern NUMBER = Pattern.compile("\"(\\w+)\": (\\d+)");
  private static final Pattern LIST =
      Pattern.compile("\"(missing|missing_blobs)\": \\[([^\\]]*)\\]");

  private final S3Client s3;
  private final String bucket;
  private final BlobStore blobs;
  private final RemoteShell shell;
  private final RemotePaths paths;
  private final Runnable accessCheck;

  S3Sync(
      S3Client s3,
      String bucket,
      BlobStore blobs,
      RemoteShell shell,
      RemotePaths paths,
      Runnable accessCheck) {
    this.s3 = s3;
    this.bucket = bucket;
    this.blobs = blobs;
    this.shell = shell;
    this.paths = paths;
    this.accessCheck = accessCheck;
  }

  SyncResult sync(SyncRequest request) throws InterruptedException {
    accessCheck.run();
    BlobStore.Uploaded sent =
        blobs.ensure(request.localRoot(), request.files(), request.progress());
    byte[] manifest = manifest(request.files());
    String sha = HexFormat.of().formatHex(BlobStore.sha256(manifest));
    String key = RemotePaths.runPrefix(paths.runId()) + "manifests/" + sha + ".json";
    if (!blobs.isKnown(key)) {
      AwsErrors.run(
          "upload the manifest to s3://" + bucket,
          () -> s3.putObject(p -> p.bucket(bucket).key(key), RequestBody.fromBytes(manifest)));
      blobs.remember(Set.of(key));
    }
    Map<String, String> result = layout(key, sha, request.mustExist());
    if (!result.get("missing_blobs").isEmpty()) {
      // the bucket lost blobs the cache said it had: forget the cache and send them again
      blobs.forget();
      BlobStore.Uploaded again =
          blobs.ensure(request.localRoot(), request.files(), request.progress());
      sent = new BlobStore.Uploaded(sent.files() + again.files(), sent.bytes() + again.bytes());
      result = layout(key, sha, request.mustExist());
      if (!result.get("missing_blobs").isEmpty()) {
        throw StepException.transientError(
            "The instance could not fetch "
                + result.get("missing_blobs")
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
                + result.get("written")
                + " written and "
                + result.get("deleted")
                + " deleted on "
                + shell.instanceId());
    return new SyncResult(
        sent.files(),
        sent.bytes(),
        Integer.parseInt(result.get("deleted")),
        split(result.get("missing")));
  }

  private Map<String, String> layout(String key, String sha, List<String> required)
      throws InterruptedException {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("RUNCTL_WORK", paths.workdir());
    env.put("RUNCTL_STATE", paths.state());
    env.put("RUNCTL_BLOBS", paths.blobs());
    env.put("RUNCTL_BUCKET", bucket);
    env.put("RUNCTL_BLOB_PREFIX", RemotePaths.blobPrefix());
    env.put("RUNCTL_MANIFEST_KEY", key);
    env.put("RUNCTL_MANIFEST_SHA", sha);
    env.put("RUNCTL_REQUIRED", jsonList(required));
    env.put("RUNCTL_REQUIRED_LINES", String.join("\n", required));
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
    Map<String, String> out = new LinkedHashMap<>();
    Matcher n = NUMBER.matcher(line);
    while (n.find()) {
      out.put(n.group(1), n.group(2));
    }
    Matcher l = LIST.matcher(line);
    while (l.find()) {
      out.put(l.group(1), l.group(2));
    }
    out.putIfAbsent("written", "0");
    out.putIfAbsent("deleted", "0");
    out.putIfAbsent("missing", "");
    out.putIfAbsent("missing_blobs", "");
    return out;
  }

  /** The manifest object: path, sha256, mode and size of every file, as JSON. */
  static byte[] manifest(List<ManifestEntry> files) {
    StringBuilder s = new StringBuilder("{\"files\": [");
    for (int i = 0; i < files.size(); i++) {
      ManifestEntry e = files.get(i);
      s.append(i == 0 ? "" : ",").append("\n{\"p\": ").append(Json.string(e.path()));
      s.append(", \"s\": \"").append(e.sha256()).append("\", \"m\": ").append(e.mode() & 07777);
      s.append(", \"z\": ").append(e.size()).append('}');
    }
    return s.append("]}\n").toString().getBytes(StandardCharsets.UTF_8);
  }

  private static String jsonList(List<String> items) {
    List<String> quoted = new ArrayList<>();
    items.forEach(i -> quoted.add(Json.string(i)));
    return "[" + String.join(", ", quoted) + "]";
  }

  /** The strings of a JSON list body ({@code "a", "b"}), as python's json.dumps writes them. */
  static List<String> split(String body) {
    List<String> out = new ArrayList<>();
    if (body == null || body.isBlank()) {
      return out;
    }
    Matcher m = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(body);
    while (m.find()) {
      out.add(Json.unescape(m.group(1)));
    }
    return out;
  }
}
