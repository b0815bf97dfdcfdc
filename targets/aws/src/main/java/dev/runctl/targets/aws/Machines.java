package dev.runctl.targets.aws;

import dev.runctl.engine.spi.StepException;
import dev.runctl.engine.spi.SyncRequest;
import dev.runctl.engine.spi.SyncResult;
import dev.runctl.engine.spi.TargetContext;
import java.math.BigDecimal;
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
    InstanceAccess access =
        new InstanceAccess(
            facts,
            config.bucket(),
            config.iamInstanceProfile(),
            instanceId,
            RemotePaths.runPrefix(ctx.runId()));
    S3Sync sync = new S3Sync(c.s3, config.bucket(), blobs, shell, paths, this::checkBucket, access);
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
   * Uploads the blobs of {@code request} that the bucket lacks, and the pack of its small files
   * ({@link BlobPack}), before any instance exists.
   */
  SyncResult stage(SyncRequest request) throws InterruptedException {
    checkBucket();
    BlobStore.Uploaded sent =
        blobs.ensure(request.localRoot(), request.files(), request.progress());
    BlobPack.upload(c.s3, config.bucket(), blobs, ctx.runId(), request);
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
}
