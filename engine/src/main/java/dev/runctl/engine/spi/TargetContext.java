package dev.runctl.engine.spi;

import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * What a target gets from the engine for one run: ids, the run folder, the local workdir, a cache
 * folder shared by runs ({@code <state-dir>/cache}), the run's durable facts, a sink for warnings
 * that the user must see (a fallback to on-demand), and the clock.
 */
public record TargetContext(
    String runId,
    String jobName,
    Path runDir,
    Path localWorkdir,
    Path cacheDir,
    Facts facts,
    Consumer<String> warnings,
    RunClock clock) {}
