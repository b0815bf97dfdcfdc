package dev.runctl.targets.aws;

import dev.runctl.engine.spi.StepException;
import dev.runctl.engine.spi.StepLog;
import dev.runctl.engine.spi.TargetContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.waiters.WaiterOverrideConfiguration;
import software.amazon.awssdk.services.ec2.model.DescribeInstancesRequest;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;

/**
 * Terminates every instance the run ever launched and waits until AWS says terminated; an instance
 * already gone is success. Then deletes the run's environment objects and the secrets it kept for
 * its instances in Parameter Store ({@link SecretVault}); checkpoints and manifests stay in the
 * bucket.
 */
final class Teardown {
  private static final Duration WAIT = Duration.ofMinutes(10);
  private final AwsClients c;
  private final RunFacts facts;
  private final TargetContext ctx;
  private final String bucket;

  Teardown(AwsClients c, RunFacts facts, TargetContext ctx, String bucket) {
    this.c = c;
    this.facts = facts;
    this.ctx = ctx;
    this.bucket = bucket;
  }

  void destroy(List<String> ids, StepLog log) throws InterruptedException {
    List<String> alive = new ArrayList<>();
    if (!ids.isEmpty()) {
      List<Instance> found = new ArrayList<>();
      AwsErrors.run(
          "look up the run's instances",
          () ->
              c.ec2
                  .describeInstancesPaginator(
                      r -> r.filters(Filter.builder().name("instance-id").values(ids).build()))
                  .reservations()
                  .forEach(res -> found.addAll(res.instances())));
      for (String id : ids) {
        boolean running =
            found.stream()
                .anyMatch(
                    i ->
                        i.instanceId().equals(id)
                            && i.state().name() != InstanceStateName.TERMINATED);
        if (running) {
          alive.add(id);
        } else {
          facts.ended(id, ctx.clock().now());
        }
      }
    }
    if (alive.isEmpty()) {
      log.line("no instance of this run is alive: nothing to terminate");
    } else {
      log.line("terminating " + String.join(", ", alive));
      try {
        c.ec2.terminateInstances(r -> r.instanceIds(alive));
      } catch (SdkException e) {
        if (!AwsErrors.code(e).startsWith("InvalidInstanceID")) {
          throw AwsErrors.translate("terminate " + String.join(", ", alive), e);
        }
      }
      awaitTerminated(alive, log);
    }
    deleteScratch("env/");
    deleteScratch("access/");
    deleteSecrets(log);
  }

  private void deleteSecrets(StepLog log) {
    if (!SecretVault.used(ctx.facts())) {
      return; // nothing kept: no call, and no permission needed for it
    }
    try {
      int n = SecretVault.delete(c.ssm, ctx.runId());
      if (n > 0) {
        log.line(
            "deleted the run's "
                + n
                + " secret parameter(s) under "
                + SecretVault.path(ctx.runId()));
      }
    } catch (SdkException e) {
      log.line(
          "warning: cannot delete the run's secrets under "
              + SecretVault.path(ctx.runId())
              + " ("
              + AwsErrors.code(e)
              + "): delete them with aws ssm delete-parameters, or allow ssm:DescribeParameters"
              + " and ssm:DeleteParameters (docs/aws.md)");
    }
  }

  private void awaitTerminated(List<String> ids, StepLog log) throws InterruptedException {
    try {
      c.ec2
          .waiter()
          .waitUntilInstanceTerminated(
              DescribeInstancesRequest.builder()
                  .filters(Filter.builder().name("instance-id").values(ids).build())
                  .build(),
              WaiterOverrideConfiguration.builder().waitTimeout(WAIT).maxAttempts(10_000).build());
    } catch (SdkException e) {
      if (Thread.currentThread().isInterrupted()) {
        throw new InterruptedException("stopped while waiting for termination");
      }
      throw StepException.transientError(
          "AWS did not confirm the termination of "
              + String.join(", ", ids)
              + " within "
              + Readiness.human(WAIT),
          "runctl destroy RUN_ID tries again; check the EC2 console so that nothing keeps running",
          e);
    }
    for (String id : ids) {
      facts.ended(id, ctx.clock().now());
    }
    log.line("terminated " + String.join(", ", ids));
  }

  private void deleteScratch(String folder) {
    String prefix = RemotePaths.runPrefix(ctx.runId()) + folder;
    List<ObjectIdentifier> keys = new ArrayList<>();
    try {
      c.s3
          .listObjectsV2Paginator(l -> l.bucket(bucket).prefix(prefix))
          .contents()
          .forEach(o -> keys.add(ObjectIdentifier.builder().key(o.key()).build()));
      if (!keys.isEmpty()) {
        c.s3.deleteObjects(d -> d.bucket(bucket).delete(x -> x.objects(keys).quiet(true)));
      }
    } catch (SdkException e) {
      // the run's instances are gone, which is what matters; a bucket lifecycle rule expires the
      // rest (docs/aws.md)
    }
  }
}
