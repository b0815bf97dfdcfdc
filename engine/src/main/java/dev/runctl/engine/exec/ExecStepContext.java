package dev.runctl.engine.exec;

import dev.runctl.engine.spi.Facts;
import dev.runctl.engine.spi.RunClock;
import dev.runctl.engine.spi.StepContext;
import dev.runctl.engine.spi.StepLog;
import dev.runctl.engine.spi.Target;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** The {@link StepContext} of one attempt, as the executor builds it. */
record ExecStepContext(
    String runId,
    String jobName,
    String stepId,
    int attempt,
    Optional<Duration> timeout,
    Path localWorkdir,
    Path runDir,
    Path cacheDir,
    Map<String, String> env,
    List<String> requiredPaths,
    List<String> namedPaths,
    BooleanSupplier failed,
    BooleanSupplier stopped,
    Target target,
    Facts facts,
    StepLog log,
    Consumer<String> onProgress,
    Consumer<String> onWarning,
    Consumer<dev.runctl.engine.spi.MetricPoint> onMetrics,
    RunClock clock,
    Supplier<List<String>> secretValues)
    implements StepContext {

  ExecStepContext {
    env = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(env));
    requiredPaths = List.copyOf(requiredPaths);
    namedPaths = List.copyOf(namedPaths);
  }

  @Override
  public Path artifactsDir() {
    return runDir.resolve("artifacts");
  }

  @Override
  public List<String> secrets() {
    return secretValues.get();
  }

  @Override
  public boolean runHasFailed() {
    return failed.getAsBoolean();
  }

  @Override
  public boolean runWasStopped() {
    return stopped.getAsBoolean();
  }

  @Override
  public void progress(String message) {
    log.line(message);
    onProgress.accept(message);
  }

  @Override
  public void metrics(dev.runctl.engine.spi.MetricPoint latest) {
    log.line("metrics: " + latest.text());
    onMetrics.accept(latest);
  }

  @Override
  public void warn(String message) {
    log.line("warning: " + message);
    onWarning.accept(message);
  }
}
