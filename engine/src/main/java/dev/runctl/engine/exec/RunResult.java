package dev.runctl.engine.exec;

import dev.runctl.engine.state.RunStatus;

/** How a run process ended (the CLI decides the exit code from {@code status}). */
public record RunResult(String runId, RunStatus status, String reason) {}
