package dev.runctl.targets.aws;

import dev.runctl.engine.spi.StepException;
import dev.runctl.engine.spi.SyncRequest;
import dev.runctl.engine.spi.SyncResult;
import dev.runctl.engine.spi.TargetContext;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Wires an {@link AwsMachine} for an instance of the run: shell, processes, sync, files. */
final class Machines {
  private final AwsClients c;
  private final AwsConfig config;
  private final TargetContext ctx;
  private final RunFacts facts;
  private final InstanceWatch watch;
  private final SsmRunner ssm;
  private final BlobStore blobs;
  private final InstanceSecrets secrets;
  private boolean bucketChecked;

  Machines(AwsClients c, AwsConfig config, TargetContext ctx, RunFacts facts) {
    this.c = c;
    this.config = config;
    this.ctx = ctx;
    this.facts = facts;
    this.watch = new InstanceWatch(c.ec2);
    this.ssm = new SsmRunner(c.ssm, ctx.clock(), watch);
    this.blobs = new BlobStore(c.s3, config.bucket(), ctx.cacheDir());
    this.secrets =
        new InstanceSecrets(
            ctx.secrets(),
            new SecretVault(c.ssm, ctx.runId(), ctx.secrets().values(), ctx.facts()),
            ctx.runId(),
            c.region());
  }

  RemoteShell shell(String instanceId) {
    return new RemoteShell(
        ssm, c.s3, config.bucket(), RemotePaths.runPrefix(ctx.runId()), instanceId);
  }

  AwsMachine machine(String instanceId) {
    RemotePaths paths = new RemotePaths(facts.home(instanceId).orElse("/root"), ctx.runId());
    RemoteShell shell = shell(instanceId);
    Processes processes = new Processes(shell, c.s3, config.bucket(), paths, secrets);
    S3Sync sync =
        new S3Sync(
            c.s3, config.bucket(), blobs, shell, paths, () -> checkAccess(shell, instanceId));
    return new AwsMachine(
        instanceId,
        paths,
        shell,
        processes,
        sync,
        watch,
        new BucketFiles(c.s3, config.bucket(), ctx.runId()),
        describe(instanceId));
  }

  private Map<String, String> describe(String id) {
    Map<String, String> out = new LinkedHashMap<>();
    out.put("machine_id", id);
    out.put("instance_id", id);
    watch
        .describe(id)
        .map(Instance::privateIpAddress)
        .filter(ip -> ip != null && !ip.isBlank())
        .ifPresent(ip -> out.put("host", ip));
    out.put("price_per_hour", facts.price(id).map(BigDecimal::toPlainString).orElse("unknown"));
    out.put("market", facts.market(id).orElse("unknown"));
    out.put("region", c.region());
    return out;
  }

  /**
   * Before the first upload: this identity can use the bucket, and (once per instance) the
   * instance's role can read and write under {@code runctl/}.
   */
  private void checkAccess(RemoteShell shell, String instanceId) {
    checkBucket();
    checkInstanceAccess(shell, instanceId);
  }

  /** Uploads the blobs of {@code request} that the bucket lacks, before any instance exists. */
  SyncResult stage(SyncRequest request) throws InterruptedException {
    checkBucket();
    BlobStore.Uploaded sent =
        blobs.ensure(request.localRoot(), request.files(), request.progress());
    return new SyncResult(sent.files(), sent.bytes(), 0, List.of());
  }

  /**
   * Ahead of {@link #stage}, while the step hashes the workdir: checks the bucket and has the blob
   * store list what it holds when it knows nothing of it (a first sync from this machine). A
   * failure is left for {@link #stage}, which checks and lists again and reports it.
   */
  void prepareStage() {
    checkBucket();
    blobs.prefetch();
  }

  /** This identity can use the bucket (once per run process). */
  private synchronized void checkBucket() {
    String bucket = config.bucket();
    if (!bucketChecked) {
      try {
        c.s3.headBucket(h -> h.bucket(bucket));
      } catch (S3Exception e) {
        if (e.statusCode() == 404) {
          throw StepException.fatal(
              "The bucket " + bucket + " does not exist",
              "create it in " + c.region() + ": aws s3 mb s3://" + bucket + " (docs/aws.md)");
        }
        if (e.statusCode() == 403) {
          throw StepException.fatal(
              "You may not use the bucket " + bucket + " (HTTP 403)",
              "your identity needs s3:ListBucket, s3:GetObject, s3:PutObject and s3:DeleteObject"
                  + " on it (docs/aws.md, 'IAM for the user')");
        }
        throw AwsErrors.translate("check the bucket " + bucket, e);
      } catch (software.amazon.awssdk.core.exception.SdkException e) {
        throw AwsErrors.translate("check the bucket " + bucket, e);
      }
      bucketChecked = true;
    }
  }

  /** Once per instance: its role can read and write under {@code runctl/}. */
  private void checkInstanceAccess(RemoteShell shell, String instanceId) {
    String bucket = config.bucket();
    if (facts.bucketChecked(instanceId)) {
      return;
    }
    String key = RemotePaths.runPrefix(ctx.runId()) + "access/" + instanceId;
    String script =
        RemoteShell.script(
            Map.of("T", "s3://" + bucket + "/" + key),
            "f=$(mktemp); echo ok > \"$f\"",
            "runctl_aws s3 cp --only-show-errors \"$f\" \"$T\" || { echo @@noput; exit 0; }",
            "runctl_aws s3 cp --only-show-errors \"$T\" \"$f\" || { echo @@noget; exit 0; }",
            "echo @@ok");
    SsmRunner.Result r;
    try {
      r = shell.run("check the instance's access to s3://" + bucket, script, Duration.ofMinutes(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw StepException.transientError("interrupted", null, e);
    }
    if (r.stdout().contains("@@ok")) {
      facts.bucketChecked(instanceId, true);
      return;
    }
    if (AwsErrors.cliThrottled(r.stderr())) {
      throw StepException.transientError(
          "AWS throttled the check of "
              + instanceId
              + "'s access to s3://"
              + bucket
              + "/runctl/: "
              + RemoteShell.tail(r.stderr()),
          "a retry checks again; `retry: {max_attempts: 3}` on the step makes runctl retry it",
          null);
    }
    throw StepException.fatal(
        "The instance role of "
            + instanceId
            + " cannot "
            + (r.stdout().contains("@@noput") ? "write to" : "read from")
            + " s3://"
            + bucket
            + "/runctl/: "
            + RemoteShell.tail(r.stderr()),
        "add to the role of instance profile '"
            + config.iamInstanceProfile()
            + "' a policy allowing s3:GetObject, s3:PutObject, s3:DeleteObject on arn:aws:s3:::"
            + bucket
            + "/runctl/* and s3:ListBucket on arn:aws:s3:::"
            + bucket
            + " (docs/aws.md, 'The instance role')");
  }
}
