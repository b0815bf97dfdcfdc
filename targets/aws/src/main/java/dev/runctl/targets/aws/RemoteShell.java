package dev.runctl.targets.aws;

import dev.runctl.engine.spi.StepException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Builds and runs the scripts of one instance. A script is the quoted variable assignments followed
 * by a fixed body from {@code remote/} (values never enter the body's text), so {@link Shell#quote}
 * is the only place where a value meets shell syntax. {@link #capture} returns a payload of any
 * size: inline when it fits SSM's 24,000-character output, else through the bucket.
 */
final class RemoteShell {
  private static final Map<String, String> BODIES = new java.util.concurrent.ConcurrentHashMap<>();

  private final SsmRunner ssm;
  private final S3Client s3;
  private final String bucket;
  private final String spillPrefix;
  private final String instanceId;

  /** A captured run: the {@code @@} marker lines the script printed, and its payload. */
  record Captured(List<String> markers, byte[] payload) {
    String marker(String name) {
      for (String m : markers) {
        if (m.startsWith("@@" + name + " ") || m.equals("@@" + name)) {
          return m.substring(Math.min(m.length(), name.length() + 3));
        }
      }
      return null;
    }
  }

  RemoteShell(SsmRunner ssm, S3Client s3, String bucket, String runPrefix, String instanceId) {
    this.ssm = ssm;
    this.s3 = s3;
    this.bucket = bucket;
    this.spillPrefix = runPrefix + "spill/";
    this.instanceId = instanceId;
  }

  String instanceId() {
    return instanceId;
  }

  /** The text of {@code remote/<name>}. */
  static String body(String name) {
    return BODIES.computeIfAbsent(
        name,
        n -> {
          try (InputStream in = RemoteShell.class.getResourceAsStream("remote/" + n)) {
            if (in == null) {
              throw new IllegalStateException("remote script " + n + " missing from the build");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }

  static String script(Map<String, String> vars, String... bodies) {
    StringBuilder s = new StringBuilder(Shell.assignments(vars, false));
    for (String b : bodies) {
      s.append(b).append('\n');
    }
    return s.toString();
  }

  /** Runs a script; a non-zero exit is a failure carrying stderr. */
  SsmRunner.Result run(String what, String script, Duration timeout) throws InterruptedException {
    SsmRunner.Result r = ssm.run(instanceId, what, script, timeout);
    if (!r.ok()) {
      StepException failure = failed(what, r);
      throw r.exitCode() == 97 ? failure : ssm.unexpectedEnd(instanceId, failure);
    }
    return r;
  }

  /** Runs {@code body} (which ends with {@code runctl_emit}) and returns what it put in $OUT. */
  Captured capture(String what, Map<String, String> vars, String body, Duration timeout)
      throws InterruptedException {
    Map<String, String> all = new LinkedHashMap<>(vars);
    String spillKey = spillPrefix + UUID.randomUUID();
    all.put("RUNCTL_BUCKET", bucket);
    all.put("RUNCTL_SPILL_KEY", spillKey);
    SsmRunner.Result r = run(what, script(all, body("capture.sh"), body), timeout);
    List<String> markers = new ArrayList<>();
    StringBuilder inline = null;
    byte[] payload = new byte[0];
    for (String line : r.stdout().split("\n", -1)) {
      if (inline != null) {
        inline.append(line);
      } else if (line.equals("@@inline")) {
        inline = new StringBuilder();
      } else if (line.startsWith("@@s3 ")) {
        String key = line.substring(5).trim();
        payload =
            AwsErrors.call(
                "read " + what + " output",
                () -> s3.getObjectAsBytes(g -> g.bucket(bucket).key(key)).asByteArray());
        AwsErrors.run("clean up", () -> s3.deleteObject(d -> d.bucket(bucket).key(key)));
      } else if (line.startsWith("@@")) {
        markers.add(line.trim());
      }
    }
    if (inline != null) {
      payload = Base64.getMimeDecoder().decode(inline.toString());
    }
    return new Captured(markers, payload);
  }

  /** See {@link SsmRunner#unexpectedEnd}. */
  StepException unexpectedEnd(StepException failure) throws InterruptedException {
    return ssm.unexpectedEnd(instanceId, failure);
  }

  StepException failed(String what, SsmRunner.Result r) {
    String err = r.stderr().isBlank() ? tail(r.stdout()) : tail(r.stderr());
    if (r.exitCode() == 97) {
      return StepException.fatal(
          what + " on " + instanceId + " could not write to s3://" + bucket + ": " + err,
          "the instance role needs s3:PutObject on arn:aws:s3:::"
              + bucket
              + "/runctl/* (docs/aws.md)");
    }
    return StepException.transientError(
        what
            + " on "
            + instanceId
            + " failed ("
            + r.status()
            + ", exit "
            + r.exitCode()
            + "): "
            + err,
        "see the step log; the instance's SSM agent log is /var/log/amazon/ssm/amazon-ssm-agent.log",
        null);
  }

  static String tail(String s) {
    String t = s.strip();
    return t.length() <= 600 ? t : "..." + t.substring(t.length() - 600);
  }
}
