package dev.runctl.engine.spi;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What one attempt of a step sees of its run. Built by the executor. */
public interface StepContext {
  String runId();

  String jobName();

  String stepId();

  /** 1 for the first attempt of the step in this run, counting across resumes. */
  int attempt();

  /** The spec's workdir on this machine (what sync copies). */
  Path localWorkdir();

  /** {@code <state-dir>/runs/<run-id>}. */
  Path runDir();

  /** {@code <run-dir>/artifacts}, where teardown collects into. */
  Path artifactsDir();

  /** {@code <state-dir>/cache}, shared by runs (virtual environments, manifest caches). */
  Path cacheDir();

  /**
   * The environment for commands: the job's {@code env} and the step's, expressions resolved, plus
   * {@code RUNCTL_RUN_ID}, {@code RUNCTL_STEP_ID} and {@code RUNCTL_ATTEMPT}.
   */
  Map<String, String> env();

  /** Paths relative to the workdir that the plan's steps need on the machine (for sync's check). */
  List<String> requiredPaths();

  /** Paths the plan's steps name ({@link StepConfig#namedPaths()}): what sync says it left out. */
  default List<String> namedPaths() {
    return requiredPaths();
  }

  /**
   * The secret values the run masks in everything it writes (see the engine's secret masking): a
   * step that has something else write a file (a detached training's output) passes them on so that
   * the file is masked too. Never to be logged, journaled or put into argv.
   */
  default List<String> secrets() {
    return List.of();
  }

  /** True when some step of this run has failed (for {@code keep_on_failure}). */
  boolean runHasFailed();

  /** The step's {@code timeout} (its own, or the spec's default); empty when it has none. */
  default Optional<Duration> timeout() {
    return Optional.empty();
  }

  /** True when the run is stopping before its end: cancelled, or over its budget. */
  default boolean runWasStopped() {
    return false;
  }

  Target target();

  Facts facts();

  StepLog log();

  /** A short live status for the terminal ("uploaded 120/2000 files"); also logged. */
  void progress(String message);

  /**
   * The newest point a training reported through {@code $RUNCTL_METRICS}: shown live, in {@code
   * status} and as a {@code metrics} event of the JSON output. The default shows it as progress.
   */
  default void metrics(dev.runctl.engine.spi.MetricPoint latest) {
    progress(latest.text());
  }

  /** A warning the user must see, in the output and the journal (e.g. a fallback to on-demand). */
  void warn(String message);

  RunClock clock();
}
