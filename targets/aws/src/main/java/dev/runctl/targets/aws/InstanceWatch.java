package dev.runctl.targets.aws;

import dev.runctl.engine.spi.Health;
import dev.runctl.engine.spi.StepException;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;

/** Whether an instance is still there, from DescribeInstances: alive, interrupted, or gone. */
final class InstanceWatch {
  private final Ec2Client ec2;

  InstanceWatch(Ec2Client ec2) {
    this.ec2 = ec2;
  }

  Optional<Instance> describe(String instanceId) {
    try {
      List<Instance> found =
          ec2.describeInstances(r -> r.instanceIds(instanceId)).reservations().stream()
              .flatMap(r -> r.instances().stream())
              .toList();
      return found.stream().findFirst();
    } catch (software.amazon.awssdk.awscore.exception.AwsServiceException e) {
      if (AwsErrors.code(e).startsWith("InvalidInstanceID")) {
        return Optional.empty();
      }
      throw AwsErrors.translate("describe instance " + instanceId, e);
    } catch (software.amazon.awssdk.core.exception.SdkException e) {
      throw AwsErrors.translate("describe instance " + instanceId, e);
    }
  }

  Health health(String instanceId) {
    Optional<Instance> i = describe(instanceId);
    if (i.isEmpty()) {
      return Health.GONE;
    }
    InstanceStateName state = i.get().state().name();
    return switch (state) {
      case PENDING, RUNNING -> Health.ALIVE;
      case TERMINATED -> isSpotReclaim(i.get()) ? Health.INTERRUPTED : Health.GONE;
      default -> Health.INTERRUPTED;
    };
  }

  /** Throws an interruption when the instance is not running any more. */
  void requireAlive(String instanceId) {
    Optional<Instance> i = describe(instanceId);
    if (i.isEmpty()) {
      throw StepException.interruption(
          "Instance " + instanceId + " no longer exists",
          "a retry with on: [interruption] provisions a new instance");
    }
    InstanceStateName state = i.get().state().name();
    if (state != InstanceStateName.RUNNING && state != InstanceStateName.PENDING) {
      String reason = i.get().stateReason() == null ? "" : i.get().stateReason().message();
      throw StepException.interruption(
          "Instance "
              + instanceId
              + " is "
              + state
              + (isSpotReclaim(i.get()) ? " (spot capacity reclaimed by AWS)" : "")
              + (reason == null || reason.isBlank() ? "" : ": " + reason),
          "a retry with on: [interruption] provisions a new instance and continues from the last"
              + " checkpoint synced to the bucket");
    }
  }

  static boolean isSpotReclaim(Instance i) {
    return i.stateReason() != null
        && i.stateReason().code() != null
        && i.stateReason().code().contains("Spot");
  }
}
