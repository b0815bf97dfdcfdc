package dev.runctl.targets.aws;

import dev.runctl.engine.spi.Durations;
import dev.runctl.engine.spi.RunClock;
import dev.runctl.engine.spi.StepException;
import dev.runctl.engine.spi.StepLog;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.waiters.WaiterOverrideConfiguration;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.InstanceInformation;
import software.amazon.awssdk.services.ssm.model.InstanceInformationStringFilter;
import software.amazon.awssdk.services.ssm.model.PingStatus;

/**
 * A machine is ready when EC2 says {@code running}, SSM says {@code Online}, and a first command
 * shows the tools runctl's remote scripts use. Each wait shows progress in the step log and ends
 * with an error that says what to check.
 */
final class Readiness {
  private static final Duration PROGRESS_EVERY = Duration.ofSeconds(15);

  /** How often DescribeInstances looks at a booting instance. */
  static final Duration RUNNING_EVERY = Duration.ofSeconds(1);

  /** The longest pause between two looks at the SSM agent of a running instance. */
  static final Duration ONLINE_EVERY_AT_MOST = Duration.ofSeconds(2);

  private final Ec2Client ec2;
  private final SsmClient ssm;
  private final InstanceWatch watch;
  private final RunClock clock;
  private final AwsConfig config;

  Readiness(Ec2Client ec2, SsmClient ssm, InstanceWatch watch, RunClock clock, AwsConfig config) {
    this.ec2 = ec2;
    this.ssm = ssm;
    this.watch = watch;
    this.clock = clock;
    this.config = config;
  }

  void awaitRunning(String id, StepLog log) throws InterruptedException {
    log.line("waiting for " + id + " to be running (up to " + human(config.readyTimeout()) + ")");
    Instant start = clock.now();
    try {
      ec2.waiter()
          .waitUntilInstanceRunning(
              software.amazon.awssdk.services.ec2.model.DescribeInstancesRequest.builder()
                  .instanceIds(id)
                  .build(),
              WaiterOverrideConfiguration.builder()
                  .waitTimeout(config.readyTimeout())
                  .maxAttempts(10_000)
                  // the waiter's own pace is a look every 15 s: a boot seen up to 15 s late
                  .backoffStrategyV2(BackoffStrategy.fixedDelayWithoutJitter(RUNNING_EVERY))
                  .build());
    } catch (SdkException e) {
      if (Thread.currentThread().isInterrupted()) {
        throw new InterruptedException("stopped while waiting for " + id);
      }
      Optional<Instance> i = watch.describe(id);
      String state = i.map(x -> x.state().nameAsString()).orElse("gone");
      String reason =
          i.map(x -> x.stateReason() == null ? "" : x.stateReason().message()).orElse("");
      if (i.isPresent() && i.get().state().name() == InstanceStateName.PENDING) {
        throw StepException.timeout(
            id + " is still pending after " + human(config.readyTimeout()),
            "AWS is slow to start this type here; raise ready_timeout or try another zone");
      }
      throw StepException.interruption(
          id
              + " did not reach running: it is "
              + state
              + (reason.isBlank() ? "" : " (" + reason + ")"),
          "for Server.InsufficientInstanceCapacity or spot reasons try again or another region;"
              + " for Client.* reasons check the image, the disk size and any KMS key");
    }
    log.line(id + " is running after " + human(Duration.between(start, clock.now())));
  }

  void awaitSsmOnline(String id, StepLog log) throws InterruptedException {
    Instant start = clock.now();
    Instant deadline = start.plus(config.readyTimeout());
    Instant nextProgress = start.plus(PROGRESS_EVERY);
    Duration pause = Duration.ofMillis(200);
    log.line("waiting for the SSM agent on " + id + " to come online");
    while (true) {
      List<InstanceInformation> info =
          AwsErrors.call(
                  "ask SSM about " + id,
                  () ->
                      ssm.describeInstanceInformation(
                          r ->
                              r.filters(
                                  InstanceInformationStringFilter.builder()
                                      .key("InstanceIds")
                                      .values(id)
                                      .build())))
              .instanceInformationList();
      if (info.stream().anyMatch(i -> i.pingStatus() == PingStatus.ONLINE)) {
        log.line(
            "SSM agent on "
                + id
                + " is online after "
                + human(Duration.between(start, clock.now())));
        return;
      }
      Instant now = clock.now();
      if (now.isAfter(nextProgress)) {
        watch.requireAlive(id);
        log.line(
            "still waiting for the SSM agent on "
                + id
                + " ("
                + human(Duration.between(start, now))
                + " of "
                + human(config.readyTimeout())
                + ")");
        nextProgress = now.plus(PROGRESS_EVERY);
      }
      if (now.isAfter(deadline)) {
        throw new StepException(
            dev.runctl.engine.spi.ErrorClass.TIMEOUT,
            false,
            id
                + " is running but its SSM agent did not come online within "
                + human(config.readyTimeout()),
            "check (1) the instance profile '"
                + config.iamInstanceProfile()
                + "' has a role with the AmazonSSMManagedInstanceCore policy; (2) the subnet"
                + " reaches the SSM endpoints (a NAT or internet gateway with a public IP, or VPC"
                + " endpoints for ssm, ssmmessages and ec2messages); (3) the image runs the SSM"
                + " agent (Deep Learning AMIs, Amazon Linux and Ubuntu do). runctl destroy"
                + " terminates the instance.",
            null);
      }
      clock.sleep(pause);
      pause =
          pause.multipliedBy(2).compareTo(ONLINE_EVERY_AT_MOST) > 0
              ? ONLINE_EVERY_AT_MOST
              : pause.multipliedBy(2);
    }
  }

  /**
   * The first look at an instance, ahead of the first command's own work ({@link Guard#start}):
   * prints HOME and the tools the remote scripts need that it lacks, and ends the script when one
   * is lacking. Read by {@link #probed}.
   */
  static final String PROBE =
      "printf '@@home %s\\n' \"${HOME:-/root}\"\n"
          + "runctl_lacks=\n"
          + "for t in bash python3 aws setsid base64 find; do\n"
          + "  command -v \"$t\" >/dev/null 2>&1 || { echo \"@@lacks $t\"; runctl_lacks=1; }\n"
          + "done\n"
          + "[ -z \"$runctl_lacks\" ] || exit 0\n";

  /** HOME on the instance, from the output of {@link #PROBE}; fails when a tool is lacking. */
  static String probed(String stdout, String instanceId, StepLog log) {
    List<String> lacks = new ArrayList<>();
    String home = "/root";
    for (String line : stdout.split("\n")) {
      if (line.startsWith("@@home ")) {
        home = line.substring(7).trim();
      } else if (line.startsWith("@@lacks ")) {
        lacks.add(line.substring(8).trim());
      }
    }
    if (!lacks.isEmpty()) {
      throw StepException.fatal(
          "The image of " + instanceId + " lacks " + String.join(", ", lacks),
          "use an image with python3 and the AWS CLI (the Deep Learning AMIs have both), or"
              + " install them when the image is built");
    }
    log.line(instanceId + " answers commands; runctl works under " + home + "/runctl");
    return home;
  }

  static String human(Duration d) {
    return Durations.format(Duration.ofSeconds(d.getSeconds()));
  }
}
