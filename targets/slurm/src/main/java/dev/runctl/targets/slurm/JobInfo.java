package dev.runctl.targets.slurm;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One job as {@code scontrol show job -o} describes it: its state (the base state, without flags
 * such as {@code +}), why, how often Slurm requeued it, and the exit code of its batch script.
 */
record JobInfo(
    String id, String state, String reason, int restarts, String exitCode, String nodes) {

  /** Parses one line of {@code scontrol show job -o}; empty when it names no job. */
  static Optional<JobInfo> parse(String line) {
    Optional<String> id = field(line, "JobId");
    if (id.isEmpty()) {
      return Optional.empty();
    }
    String state = field(line, "JobState").orElse("UNKNOWN");
    int plus = state.indexOf('+');
    return Optional.of(
        new JobInfo(
            id.get(),
            plus < 0 ? state : state.substring(0, plus),
            field(line, "Reason").orElse("None"),
            field(line, "Restarts").map(JobInfo::number).orElse(0),
            field(line, "ExitCode").orElse("0:0"),
            field(line, "NodeList").orElse("(null)")));
  }

  /** Still waiting, starting or running: the job may yet produce output and an exit code. */
  boolean active() {
    return switch (state) {
      case "PENDING",
          "CONFIGURING",
          "RUNNING",
          "COMPLETING",
          "SUSPENDED",
          "REQUEUED",
          "REQUEUE_HOLD",
          "REQUEUE_FED",
          "RESIZING",
          "STOPPED",
          "SIGNALING",
          "STAGE_OUT" ->
          true;
      default -> false;
    };
  }

  /**
   * The batch script ended ({@code COMPLETED}, {@code FAILED}) and Slurm never requeued the job:
   * its word is then the end of the job's only run. After a requeue, only the script's own record
   * of the new run says it ended (the run Slurm requeued recorded its end too).
   */
  boolean endedUnrequeued() {
    return restarts == 0 && scriptEnded();
  }

  /** Slurm says the batch script ended, with 0 or not ({@code COMPLETED}, {@code FAILED}). */
  boolean scriptEnded() {
    return state.equals("COMPLETED") || state.equals("FAILED");
  }

  /** The batch script's exit code from {@code ExitCode=code:signal}. */
  int scriptExitCode() {
    int colon = exitCode.indexOf(':');
    int code = number(colon < 0 ? exitCode : exitCode.substring(0, colon));
    int signal = colon < 0 ? 0 : number(exitCode.substring(colon + 1));
    return code == 0 && signal > 0 ? 128 + signal : code;
  }

  private static Optional<String> field(String line, String key) {
    Matcher m = Pattern.compile("(?:^|\\s)" + key + "=(\\S*)").matcher(line);
    return m.find() ? Optional.of(m.group(1)) : Optional.empty();
  }

  private static int number(String s) {
    try {
      return Integer.parseInt(s.trim());
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
