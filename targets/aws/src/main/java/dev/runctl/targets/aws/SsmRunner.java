package dev.runctl.targets.aws;

import dev.runctl.engine.spi.RunClock;
import dev.runctl.engine.spi.StepException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.CommandInvocationStatus;
import software.amazon.awssdk.services.ssm.model.GetCommandInvocationResponse;
import software.amazon.awssdk.services.ssm.model.InvocationDoesNotExistException;

/**
 * Runs one shell script on an instance through SSM Run Command (AWS-RunShellScript) and waits for
 * its end, polling GetCommandInvocation at the pace of {@link PollPace}. While it waits it asks
 * {@link InstanceWatch} now and then whether the instance is still there, so that a reclaimed
 * instance ends the wait as an interruption instead of a timeout.
 */
final class SsmRunner {
  private static final Duration HEALTH_EVERY = Duration.ofSeconds(20);

  private final SsmClient ssm;
  private final RunClock clock;
  private final InstanceWatch watch;
  private final ReclaimCheck reclaim;

  /** What a command did: exit code (-1 when it never ran), stdout and stderr as SSM kept them. */
  record Result(String status, int exitCode, String stdout, String stderr) {
    boolean ok() {
      return exitCode == 0;
    }
  }

  SsmRunner(SsmClient ssm, RunClock clock, InstanceWatch watch) {
    this.ssm = ssm;
    this.clock = clock;
    this.watch = watch;
    this.reclaim = new ReclaimCheck(watch, clock);
  }

  /**
   * After a command on the instance ended unexpectedly: the interruption that explains it (a
   * reclaim whose state change lags behind the death of the processes), or {@code failure}.
   */
  StepException unexpectedEnd(String instanceId, StepException failure)
      throws InterruptedException {
    return reclaim.classify(instanceId, failure, this);
  }

  /**
   * Where SSM runs scripts with a POSIX sh that is not bash (dash on Ubuntu), the script re-runs
   * itself with bash, so that every remote script sees the same shell. Every script then defines
   * {@code runctl_aws} ({@code remote/aws-cli.sh}), the AWS CLI with runctl's retries.
   */
  static final String BASH_GUARD =
      "if [ -z \"${BASH_VERSION:-}\" ] && [ -f \"$0\" ]; then exec bash \"$0\" \"$@\"; fi\n"
          // runctl looked at the instance now: the guard's idle clock starts again
          + "mkdir -p \"${HOME:-/root}/runctl\" 2>/dev/null;"
          + " touch \"${HOME:-/root}/runctl/.seen\" 2>/dev/null\n";

  Result run(String instanceId, String what, String body, Duration timeout)
      throws InterruptedException {
    String script = BASH_GUARD + RemoteShell.body("aws-cli.sh") + body;
    long seconds = Math.max(30, timeout.getSeconds());
    String commandId =
        AwsErrors.call(
                what + " on " + instanceId,
                () ->
                    ssm.sendCommand(
                        r ->
                            r.instanceIds(instanceId)
                                .documentName("AWS-RunShellScript")
                                .comment(truncate("runctl: " + what, 100))
                                .parameters(
                                    Map.of(
                                        "commands",
                                        List.of(script),
                                        "executionTimeout",
                                        List.of(Long.toString(seconds))))))
            .command()
            .commandId();
    Instant sent = clock.now();
    Instant deadline = sent.plus(timeout).plusSeconds(60);
    Instant nextHealth = sent.plus(HEALTH_EVERY);
    Duration pause = PollPace.FIRST;
    try {
      while (true) {
        clock.sleep(pause);
        pause = PollPace.next(Duration.between(sent, clock.now()), pause);
        GetCommandInvocationResponse inv = invocation(commandId, instanceId, what);
        if (inv != null && isDone(inv.status())) {
          return new Result(
              inv.statusAsString(),
              inv.responseCode() == null ? -1 : inv.responseCode(),
              nullToEmpty(inv.standardOutputContent()),
              nullToEmpty(inv.standardErrorContent()));
        }
        Instant now = clock.now();
        if (now.isAfter(nextHealth)) {
          watch.requireAlive(instanceId);
          nextHealth = now.plus(HEALTH_EVERY);
        }
        if (now.isAfter(deadline)) {
          cancel(commandId, instanceId);
          watch.requireAlive(instanceId);
          throw StepException.timeout(
              "SSM command '" + what + "' on " + instanceId + " did not finish in " + timeout,
              "the SSM agent may have lost its connection: check the instance in the Systems"
                  + " Manager console (Fleet Manager)");
        }
      }
    } catch (InterruptedException e) {
      cancel(commandId, instanceId);
      throw e;
    }
  }

  private GetCommandInvocationResponse invocation(
      String commandId, String instanceId, String what) {
    try {
      return ssm.getCommandInvocation(r -> r.commandId(commandId).instanceId(instanceId));
    } catch (InvocationDoesNotExistException e) {
      return null; // SSM has not registered the invocation yet
    } catch (software.amazon.awssdk.core.exception.SdkException e) {
      throw AwsErrors.translate("follow '" + what + "' on " + instanceId, e);
    }
  }

  private void cancel(String commandId, String instanceId) {
    try {
      ssm.cancelCommand(r -> r.commandId(commandId).instanceIds(instanceId));
    } catch (RuntimeException e) {
      // best effort: the command ends with its own timeout anyway
    }
  }

  private static boolean isDone(CommandInvocationStatus status) {
    return status == CommandInvocationStatus.SUCCESS
        || status == CommandInvocationStatus.FAILED
        || status == CommandInvocationStatus.CANCELLED
        || status == CommandInvocationStatus.TIMED_OUT;
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }

  private static String truncate(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max);
  }
}
