package dev.runctl.targets.aws;

import dev.runctl.engine.spi.RunClock;
import dev.runctl.engine.spi.StepException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;

/**
 * Decides between a failure and an interruption after a command on the instance ended unexpectedly.
 * When AWS reclaims an instance, its processes can die a moment before its state changes; so before
 * calling it a failure, look at the instance's spot interruption notice and watch its state for a
 * short grace period, as the mature tools do.
 */
final class ReclaimCheck {
  static final Duration GRACE = Duration.ofSeconds(15);
  private static final Duration EVERY = Duration.ofSeconds(1);

  /** Asks the instance metadata service for a spot interruption notice (IMDSv2). */
  static final String NOTICE =
      "E=\"${AWS_EC2_METADATA_SERVICE_ENDPOINT:-http://169.254.169.254}\"; E=\"${E%/}\"\n"
          + "T=$(curl -s -m 2 -X PUT \"$E/latest/api/token\""
          + " -H 'X-aws-ec2-metadata-token-ttl-seconds: 60' 2>/dev/null)\n"
          + "A=$(curl -s -f -m 2 -H \"X-aws-ec2-metadata-token: $T\""
          + " \"$E/latest/meta-data/spot/instance-action\" 2>/dev/null) && echo \"@@notice $A\"\n"
          + "exit 0\n";

  private final InstanceWatch watch;
  private final RunClock clock;

  ReclaimCheck(InstanceWatch watch, RunClock clock) {
    this.watch = watch;
    this.clock = clock;
  }

  /**
   * The interruption that explains {@code failure}, or {@code failure} itself when the instance is
   * still running after the grace period and has no interruption notice.
   */
  StepException classify(String instanceId, StepException failure, SsmRunner ssm)
      throws InterruptedException {
    Instant deadline = clock.now().plus(GRACE);
    if (ended(instanceId)) {
      return interruption(instanceId);
    }
    Optional<String> notice = notice(instanceId, ssm);
    if (notice.isPresent()) {
      return StepException.interruption(
          "Instance "
              + instanceId
              + " has a spot interruption notice ("
              + notice.get()
              + "): AWS is reclaiming it, and its processes ended",
          "a retry with on: [interruption] provisions a new instance and continues from the last"
              + " checkpoint synced to the bucket");
    }
    while (clock.now().isBefore(deadline)) {
      clock.sleep(EVERY);
      if (ended(instanceId)) {
        return interruption(instanceId);
      }
    }
    return failure;
  }

  private boolean ended(String instanceId) {
    Optional<Instance> i = watch.describe(instanceId);
    if (i.isEmpty()) {
      return true;
    }
    InstanceStateName s = i.get().state().name();
    return s != InstanceStateName.RUNNING && s != InstanceStateName.PENDING;
  }

  private StepException interruption(String instanceId) {
    try {
      watch.requireAlive(instanceId);
    } catch (StepException e) {
      return e;
    }
    return StepException.interruption("Instance " + instanceId + " ended", null);
  }

  private static Optional<String> notice(String instanceId, SsmRunner ssm)
      throws InterruptedException {
    try {
      SsmRunner.Result r =
          ssm.run(
              instanceId, "look for a spot interruption notice", NOTICE, Duration.ofSeconds(30));
      for (String line : r.stdout().split("\n")) {
        if (line.startsWith("@@notice ")) {
          return Optional.of(line.substring(9).trim());
        }
      }
    } catch (StepException e) {
      // the instance may be going away: its state tells
    }
    return Optional.empty();
  }
}
