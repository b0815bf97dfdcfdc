package dev.runctl.engine.exec;

import dev.runctl.engine.state.RunStatus;

/** How a run process ended, and the exit code the CLI returns for it. */
public record RunResult(String runId, RunStatus status, String reason) {
  public int exitCode() {
    return status.exitCode();
  }
}
