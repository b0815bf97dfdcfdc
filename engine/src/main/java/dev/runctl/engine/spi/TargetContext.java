package dev.runctl.engine.spi;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
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
   * on the machine itself when runctl is gone; none when null. No secrets when {@code secrets} is
   * null.
   */
  public TargetContext {
    maxDuration = maxDuration == null ? Optional.empty() : maxDuration;
    secrets = secrets == null ? RunSecrets.NONE : secrets;
  }

  /** A context built field by field; the budget duration and the secrets may be left out. */
  public static Builder builder() {
    return new Builder();
  }

  /** Names each field of a {@link TargetContext}; {@link #build} checks the required ones. */
  public static final class Builder {
    private String runId;
    private String jobName;
    private Path runDir;
    private Path localWorkdir;
    private Path cacheDir;
    private Facts facts;
    private Consumer<String> warnings;
    private RunClock clock;
    private Optional<Duration> maxDuration;
    private RunSecrets secrets;

    private Builder() {}

    public Builder runId(String runId) {
      this.runId = runId;
      return this;
    }

    public Builder jobName(String jobName) {
      this.jobName = jobName;
      return this;
    }

    public Builder runDir(Path runDir) {
      this.runDir = runDir;
      return this;
    }

    public Builder localWorkdir(Path localWorkdir) {
      this.localWorkdir = localWorkdir;
      return this;
    }

    public Builder cacheDir(Path cacheDir) {
      this.cacheDir = cacheDir;
      return this;
    }

    public Builder facts(Facts facts) {
      this.facts = facts;
      return this;
    }

    public Builder warnings(Consumer<String> warnings) {
      this.warnings = warnings;
      return this;
    }

    public Builder clock(RunClock clock) {
      this.clock = clock;
      return this;
    }

    /** The job's {@code budget.max_duration}; none when not called. */
    public Builder maxDuration(Optional<Duration> maxDuration) {
      this.maxDuration = maxDuration;
      return this;
    }

    /**
     * What the target delivers to its machine's commands; {@link RunSecrets#NONE} when not called.
     */
    public Builder secrets(RunSecrets secrets) {
      this.secrets = secrets;
      return this;
    }

    /** The context; throws naming the first required field that was not given. */
    public TargetContext build() {
      return new TargetContext(
          Objects.requireNonNull(runId, "runId"),
          Objects.requireNonNull(jobName, "jobName"),
          Objects.requireNonNull(runDir, "runDir"),
          Objects.requireNonNull(localWorkdir, "localWorkdir"),
          Objects.requireNonNull(cacheDir, "cacheDir"),
          Objects.requireNonNull(facts, "facts"),
          Objects.requireNonNull(warnings, "warnings"),
          Objects.requireNonNull(clock, "clock"),
          maxDuration,
          secrets);
    }
  }
}
