package dev.runctl.targets.aws;

import dev.runctl.engine.spi.StepException;
import java.util.Optional;

/**
 * Whether an instance's role can write and read under the bucket's {@code runctl/}: checked once
 * per instance, inside the first pull ({@code remote/layout.py}) rather than by a command of its
 * own: the pull writes a probe object beside its own reads (the write in a process of its own, at
 * the same time), and its read of the manifest is the read check. The verdict is kept in the run's
 * facts.
 */
final class InstanceAccess {
  private final RunFacts facts;
  private final String bucket;
  private final String instanceProfile;
  private final String instanceId;
  private final String probeKey;

  InstanceAccess(
      RunFacts facts, String bucket, String instanceProfile, String instanceId, String runPrefix) {
    this.facts = facts;
    this.bucket = bucket;
    this.instanceProfile = instanceProfile;
    this.instanceId = instanceId;
    this.probeKey = runPrefix + "access/" + instanceId;
  }

  /** The key the pull writes to check the role, until a pull has checked it. */
  Optional<String> probeKey() {
    return facts.bucketChecked(instanceId) ? Optional.empty() : Optional.of(probeKey);
  }

  /**
   * What the pull found: {@code ok}, {@code noput} (the probe could not be written) or {@code
   * noget} (the manifest could not be read), with the AWS CLI's error text.
   *
   * @throws StepException fatal when the role lacks a permission, transient when AWS throttled
   */
  void verdict(String found, String error) {
    switch (found) {
      case "ok" -> {
        if (probeKey().isPresent()) {
          facts.bucketChecked(instanceId, true);
        }
      }
      case "" -> {
        // this pull did not check (checked earlier)
      }
      default -> throw failure(found, error);
    }
  }

  private StepException failure(String found, String error) {
    if (AwsErrors.cliThrottled(error)) {
      return StepException.transientError(
          "AWS throttled "
              + instanceId
              + "'s use of s3://"
              + bucket
              + "/runctl/: "
              + RemoteShell.tail(error),
          "a retry checks again; `retry: {max_attempts: 3}` on the step makes runctl retry it",
          null);
    }
    return StepException.fatal(
        "The instance role of "
            + instanceId
            + " cannot "
            + (found.equals("noput") ? "write to" : "read from")
            + " s3://"
            + bucket
            + "/runctl/: "
            + RemoteShell.tail(error),
        "add to the role of instance profile '"
            + instanceProfile
            + "' a policy allowing s3:GetObject, s3:PutObject, s3:DeleteObject on arn:aws:s3:::"
            + bucket
            + "/runctl/* and s3:ListBucket on arn:aws:s3:::"
            + bucket
            + " (docs/aws.md, 'The instance role')");
  }
}
