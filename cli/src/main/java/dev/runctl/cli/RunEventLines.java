package dev.runctl.cli;

import dev.runctl.engine.Instants;
import dev.runctl.engine.exec.RunEvent;

/** The engine's run events as {@link RunLines}. */
final class RunEventLines {
  private RunEventLines() {}

  /** The line of a run event. */
  static CliEvent of(RunEvent e) {
    String at = Instants.iso(e.at());
    if (e instanceof RunEvent.Started s) {
      return new RunLines.Started(
          s.runId(), at, s.job(), s.steps().size(), s.done(), s.resume(), s.parallelism());
    }
    if (e instanceof RunEvent.AttemptStarted s) {
      return new RunLines.AttemptStarted(s.runId(), at, s.step(), s.attempt(), s.log().toString());
    }
    if (e instanceof RunEvent.AlreadyDone s) {
      return new RunLines.AlreadyDone(s.runId(), at, s.step(), s.attempt());
    }
    if (e instanceof RunEvent.AttemptFailed s) {
      return new RunNotices.AttemptFailed(
          s.runId(),
          at,
          s.step(),
          s.attempt(),
          s.errorClass().yaml(),
          s.message(),
          s.hint().orElse(null));
    }
    if (e instanceof RunEvent.Progress s) {
      return new RunNotices.Progress(s.runId(), at, s.step(), s.message());
    }
    if (e instanceof RunEvent.Metrics s) {
      return new RunNotices.Metrics(
          s.runId(),
          at,
          s.step(),
          s.point().xName(),
          s.point().x(),
          new java.util.TreeMap<>(s.point().values()));
    }
    if (e instanceof RunEvent.StepEnded s) {
      return new RunLines.StepEnded(
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
      return new RunLines.Warning(s.runId(), at, s.step().orElse(null), s.message());
    }
    if (e instanceof RunEvent.Stopping s) {
      return new RunNotices.Stopping(s.runId(), at, s.reason());
    }
    RunEvent.Ended s = (RunEvent.Ended) e;
    return new RunLines.Ended(
        s.runId(),
        at,
        s.status().label(),
        s.reason(),
        s.elapsed().toMillis(),
        ErrorHandler.exitCode(s.status()));
  }
}
