package dev.runctl.engine.exec;

import dev.runctl.engine.spi.RunClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;

/**
 * How a run process executes: the clock, how many steps may run at once, the process environment
 * that {@code ${{ env.X }}} reads, the shared cache folder, the listener of events, and optionally
 * the thread pool (one is made and shut down per run when empty). {@code tick} bounds how late a
 * cancel request or a budget breach is noticed. {@code secrets} reads the values of the spec's
 * {@code secrets:} when a run starts.
 */
public record ExecSettings(
    RunClock clock,
    int parallelism,
    Map<String, String> processEnv,
    Path cacheDir,
    RunListener listener,
    Optional<ExecutorService> threads,
    Duration tick,
    SecretReader secrets) {

  /** Settings whose runs read no secret: a spec with {@code secrets:} fails to start. */
  public ExecSettings(
      RunClock clock,
      int parallelism,
      Map<String, String> processEnv,
      Path cacheDir,
      RunListener listener,
      Optional<ExecutorService> threads,
      Duration tick) {
    this(clock, parallelism, processEnv, cacheDir, listener, threads, tick, SecretReader.NONE);
  }

  public ExecSettings {
    if (parallelism < 1) {
      throw new IllegalArgumentException("parallelism must be at least 1, not " + parallelism);
    }
    processEnv = Map.copyOf(processEnv);
  }

  public static ExecSettings defaults(Path cacheDir, RunListener listener) {
    return new ExecSettings(
        RunClock.SYSTEM,
        Runtime.getRuntime().availableProcessors(),
        System.getenv(),
        cacheDir,
        listener,
        Optional.empty(),
        Duration.ofMillis(100));
  }

  public ExecSettings withParallelism(int n) {
    return new ExecSettings(clock, n, processEnv, cacheDir, listener, threads, tick, secrets);
  }

  public ExecSettings withClock(RunClock c) {
    return new ExecSettings(c, parallelism, processEnv, cacheDir, listener, threads, tick, secrets);
  }

  /** The same settings, reading the spec's {@code secrets:} through {@code reader}. */
  public ExecSettings withSecrets(SecretReader reader) {
    return new ExecSettings(
        clock, parallelism, processEnv, cacheDir, listener, threads, tick, reader);
  }
}
