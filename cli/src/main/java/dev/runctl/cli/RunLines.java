package dev.runctl.cli;

import dev.runctl.engine.Instants;
import dev.runctl.engine.exec.RunEvent;
import dev.runctl.engine.spi.Durations;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A run's events as output lines: one record per kind, each with {@code runId}, rendered as a plain
 * timestamped line in text mode and as one JSON object with --output json.
 */
final class RunLines {
  private static final ZoneId ZONE = ZoneId.systemDefault();

  /**
   * The last second stamped, as the first 19 characters of its instant ({@code
   * yyyy-MM-ddTHH:mm:ss}), and its text: a run prints many lines within one second.
   */
  private record Stamp(String second, String text) {}

  private static final AtomicReference<Stamp> LAST = new AtomicReference<>(new Stamp("", ""));

  private RunLines() {}

  /**
   * {@code at} (an instant as {@link Instant#toString} writes it) as the local wall-clock time,
   * {@code HH:mm:ss}. Two lines per step of a large run: read without a parser, and formatted once
   * per second.
   */
  static String stamp(String at) {
    Stamp last = LAST.get();
    if (!last.second().isEmpty() && at.startsWith(last.second())) {
      return last.text();
    }
    LocalTime t = LocalTime.ofInstant(Instant.ofEpochSecond(epochSecond(at)), ZONE);
    String text =
        twoDigits(t.getHour()) + ":" + twoDigits(t.getMinute()) + ":" + twoDigits(t.getSecond());
    LAST.set(new Stamp(common(at) ? at.substring(0, 19) : "", text));
    return text;
  }

  /** {@code yyyy-MM-ddTHH:mm:ss} then a fraction or Z: its first 19 characters name the second. */
  private static boolean common(String at) {
    return at.length() >= 20
        && at.charAt(4) == '-'
        && at.charAt(10) == 'T'
        && (at.charAt(19) == '.' || at.charAt(19) == 'Z');
  }

  /** Without {@link String#format}, whose first use costs a fresh process milliseconds. */
  private static String twoDigits(int n) {
    return n < 10 ? "0" + n : Integer.toString(n);
  }

  /** The seconds of {@code yyyy-MM-ddTHH:mm:ss...Z}; other forms go through the full parser. */
  private static long epochSecond(String at) {
    if (common(at) && at.endsWith("Z")) {
      try {
        return LocalDateTime.of(
                Integer.parseInt(at, 0, 4, 10),
                Integer.parseInt(at, 5, 7, 10),
                Integer.parseInt(at, 8, 10, 10),
                Integer.parseInt(at, 11, 13, 10),
                Integer.parseInt(at, 14, 16, 10),
                Integer.parseInt(at, 17, 19, 10))
            .toEpochSecond(ZoneOffset.UTC);
      } catch (RuntimeException e) {
        // not the common form after all
      }
    }
    return Instant.parse(at).getEpochSecond();
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

  record AttemptFailed(
      String runId,
      String at,
      String step,
      int attempt,
      String errorClass,
      String message,
      String hint)
      implements CliEvent {
    public String type() {
      return "attempt_failed";
    }

    public String text() {
      return stamp(at)
          + " "
          + step
          + " attempt "
          + attempt
          + " failed ("
          + errorClass
          + "): "
          + message
          + (hint == null ? "" : "\n  hint: " + hint);
    }
  }

  record Progress(String runId, String at, String step, String message) implements CliEvent {
    public String type() {
      return "progress";
    }

    public String text() {
      return stamp(at) + " " + step + ": " + message;
    }
  }

  /** The newest metrics point of a step's training: {@code values} by series name. */
  record Metrics(
      String runId, String at, String step, String xName, double x, Map<String, Double> values)
      implements CliEvent {
    public String type() {
      return "metrics";
    }

    public String text() {
      return stamp(at)
          + " "
          + step
          + ": "
          + new dev.runctl.engine.spi.MetricPoint(xName, x, values).text();
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

    public String text() {
      String detail = message.isEmpty() ? "" : ": " + message;
      String time =
          status.equals("skipped") ? "" : " in " + elapsed(Duration.ofMillis(elapsedMillis));
      return stamp(at) + " " + step + " " + status + time + detail;
    }
  }

  record Warning(String runId, String at, String step, String message) implements CliEvent {
    public String type() {
      return "warning";
    }

    public String text() {
      return stamp(at) + " warning: " + (step == null ? "" : step + ": ") + message;
    }
  }

  record Stopping(String runId, String at, String reason) implements CliEvent {
    public String type() {
      return "stopping";
    }

    public String text() {
      return stamp(at)
          + " stopping: "
          + reason
          + "; running steps are stopped, `always` steps still run";
    }
  }

  record Ended(
      String runId, String at, String status, String reason, long elapsedMillis, int exitCode)
      implements CliEvent {
    public String type() {
      return "run_ended";
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

  static CliEvent of(RunEvent e) {
    String at = Instants.iso(e.at());
    if (e instanceof RunEvent.Started s) {
      return new Started(
          s.runId(), at, s.job(), s.steps().size(), s.done(), s.resume(), s.parallelism());
    }
    if (e instanceof RunEvent.AttemptStarted s) {
      return new AttemptStarted(s.runId(), at, s.step(), s.attempt(), s.log().toString());
    }
    if (e instanceof RunEvent.AlreadyDone s) {
      return new AlreadyDone(s.runId(), at, s.step(), s.attempt());
    }
    if (e instanceof RunEvent.AttemptFailed s) {
      return new AttemptFailed(
          s.runId(),
          at,
          s.step(),
          s.attempt(),
          s.errorClass().yaml(),
          s.message(),
          s.hint().orElse(null));
    }
    if (e instanceof RunEvent.Progress s) {
      return new Progress(s.runId(), at, s.step(), s.message());
    }
    if (e instanceof RunEvent.Metrics s) {
      return new Metrics(
          s.runId(),
          at,
          s.step(),
          s.point().xName(),
          s.point().x(),
          new java.util.TreeMap<>(s.point().values()));
    }
    if (e instanceof RunEvent.StepEnded s) {
      return new StepEnded(
          s.runId(),
          at,
          s.step(),
          s.status().label(),
          s.attempts(),
          s.elapsed().toMillis(),
          s.outputs(),
          s.message());
    }
    if (e instanceof RunEvent.Warning s) {
      return new Warning(s.runId(), at, s.step().orElse(null), s.message());
    }
    if (e instanceof RunEvent.Stopping s) {
      return new Stopping(s.runId(), at, s.reason());
    }
    RunEvent.Ended s = (RunEvent.Ended) e;
    return new Ended(
        s.runId(),
        at,
        s.status().label(),
        s.reason(),
        s.elapsed().toMillis(),
        ErrorHandler.exitCode(s.status()));
  }
}
