package dev.runctl.cli;

import dev.runctl.engine.spi.Durations;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A run's events as output lines: one record per kind, each with {@code runId}, rendered as a plain
 * timestamped line in text mode and as one JSON object with --output json. These are the run's and
 * its steps' transitions and warnings; {@link RunNotices} has the lines between them, {@link
 * RunEventLines} turns the engine's events into either.
 */
final class RunLines {
  private RunLines() {}

  /** The local wall-clock time of an instant: {@link Stamps#stamp}. */
  private static String stamp(String at) {
    return Stamps.stamp(at);
  }

  /** {@code 450ms}, {@code 12.3s}, {@code 4m05s}, {@code 2h03m}: {@link Durations#elapsed}. */
  static String elapsed(Duration d) {
    return Durations.elapsed(d);
  }

  /** The first line of apply: the run's id. */
  record RunId(String runId, String runDir) implements CliEvent {
    public String type() {
      return "run";
    }

    public String text() {
      return "run " + runId;
    }
  }

  record Started(
      String runId,
      String at,
      String job,
      int steps,
      List<String> done,
      int resume,
      int parallelism)
      implements CliEvent {
    public String type() {
      return "run_started";
    }

    public String text() {
      String what =
          resume == 0
              ? "started"
              : "resumed ("
                  + done.size()
                  + (done.size() == 1 ? " step" : " steps")
                  + " already done)";
      return stamp(at)
          + " "
          + job
          + ": "
          + steps
          + (steps == 1 ? " step, " : " steps, ")
          + what
          + ", parallelism "
          + parallelism;
    }
  }

  record AttemptStarted(String runId, String at, String step, int attempt, String log)
      implements CliEvent {
    public String type() {
      return "attempt_started";
    }

    public String text() {
      return stamp(at)
          + " "
          + step
          + " started"
          + (attempt > 1 ? " (attempt " + attempt + ")" : "");
    }
  }

  record AlreadyDone(String runId, String at, String step, int attempt) implements CliEvent {
    public String type() {
      return "already_done";
    }

    public String text() {
      return stamp(at) + " " + step + " was already done; nothing ran";
    }
  }

  record StepEnded(
      String runId,
      String at,
      String step,
      String status,
      int attempts,
      long elapsedMillis,
      Map<String, String> outputs,
      String message)
      implements CliEvent {
    public String type() {
      return "step_ended";
    }

    /**
     * A failed step's message is its last attempt's, whose line above already showed it whole: here
     * its first line only, so that the last output block is printed once.
     */
    @Override
    public Tone tone() {
      return Tone.ofStatus(status);
    }

    public String text() {
      int nl = message.indexOf('\n');
      String shown = message;
      if (status.equals("failed") && nl >= 0) {
        String first = message.substring(0, nl);
        String cut = first.replaceFirst("[;:,]? *(its )?last output:$", "");
        shown = cut + (cut.equals(first) ? " (in full above)" : " (its last output is above)");
      }
      String detail = shown.isEmpty() ? "" : ": " + shown;
      String time =
          status.equals("skipped") ? "" : " in " + elapsed(Duration.ofMillis(elapsedMillis));
      return stamp(at) + " " + step + " " + status + time + detail;
    }
  }

  record Warning(String runId, String at, String step, String message) implements CliEvent {
    public String type() {
      return "warning";
    }

    @Override
    public Tone tone() {
      return Tone.WARNING;
    }

    public String text() {
      return stamp(at) + " warning: " + (step == null ? "" : step + ": ") + message;
    }
  }

  record Ended(
      String runId, String at, String status, String reason, long elapsedMillis, int exitCode)
      implements CliEvent {
    public String type() {
      return "run_ended";
    }

    @Override
    public Tone tone() {
      return Tone.ofStatus(status);
    }

    public String text() {
      return stamp(at)
          + " run "
          + runId
          + " "
          + status
          + " in "
          + elapsed(Duration.ofMillis(elapsedMillis))
          + (reason.isEmpty() ? "" : ": " + reason);
    }
  }
}
