package dev.runctl.cli;

import java.util.Map;

/**
 * The lines a run prints between its steps' transitions ({@link RunLines}): a failed attempt,
 * progress, metrics, the run stopping.
 */
final class RunNotices {
  private RunNotices() {}

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

    @Override
    public Tone tone() {
      return Tone.FAILURE;
    }

    public String text() {
      return Stamps.stamp(at)
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
      return Stamps.stamp(at) + " " + step + ": " + message;
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
      return Stamps.stamp(at)
          + " "
          + step
          + ": "
          + new dev.runctl.engine.spi.MetricPoint(xName, x, values).text();
    }
  }

  record Stopping(String runId, String at, String reason) implements CliEvent {
    public String type() {
      return "stopping";
    }

    @Override
    public Tone tone() {
      return Tone.WARNING;
    }

    public String text() {
      return Stamps.stamp(at)
          + " stopping: "
          + reason
          + "; running steps are stopped, `always` steps still run";
    }
  }
}
