package dev.runctl.engine.spi;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What a target gets from the engine for one run: ids, the run folder, the local workdir, a cache
 * folder shared by runs ({@code <state-dir>/cache}), the run's durable facts, a sink for warnings
 * that the user must see (a fallback to on-demand), the clock, the budget's max_duration, and the
 * secrets the target delivers to its machine's commands ({@link RunSecrets}).
 */
public record TargetContext(
    String runId,
    String jobName,
    Path runDir,
    Path localWorkdir,
    Path cacheDir,
    Facts facts,
    Consumer<String> warnings,
    RunClock clock,
    Optional<Duration> maxDuration,
    RunSecrets secrets) {

  /**
   * {@code maxDuration} is the job's {@code budget.max_duration}, for a target that can enforce it
   * on the machine itself when runctl is gone.
   */
  public TargetContext {
    maxDuration = maxDuration == null ? Optional.empty() : maxDuration;
    secrets = secrets == null ? RunSecrets.NONE : secrets;
  }

  /** A context whose run has no secrets. */
  public TargetContext(
      String runId,
      String jobName,
      Path runDir,
      Path localWorkdir,
      Path cacheDir,
      Facts facts,
      Consumer<String> warnings,
      RunClock clock,
      Optional<Duration> maxDuration) {
    this(
        runId,
        jobName,
        runDir,
        localWorkdir,
        cacheDir,
        facts,
        warnings,
        clock,
        maxDuration,
        RunSecrets.NONE);
  }

  /** A context without a budget duration. */
  public TargetContext(
      String runId,
      String jobName,
      Path runDir,
      Path localWorkdir,
      Path cacheDir,
      Facts facts,
      Consumer<String> warnings,
      RunClock clock) {
    this(
        runId,
        jobName,
        runDir,
        localWorkdir,
        cacheDir,
        facts,
        warnings,
        clock,
        Optional.empty(),
        RunSecrets.NONE);
  }
}
