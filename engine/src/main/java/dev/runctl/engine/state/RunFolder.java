package dev.runctl.engine.state;

import java.nio.file.Path;

/** The files of one run: {@code <state-dir>/runs/<run-id>/}. */
public record RunFolder(String runId, Path dir) {
  public Path spec() {
    return dir.resolve("spec.yaml");
  }

  /** The original spec file's path, one line: workdir and relative paths resolve against it. */
  public Path specSource() {
    return dir.resolve("spec-file");
  }

  public Path journal() {
    return dir.resolve("journal.jsonl");
  }

  public Path snapshot() {
    return dir.resolve("state.json");
  }

  public Path logs() {
    return dir.resolve("logs");
  }

  public Path log(String stepId) {
    return logs().resolve(stepId + ".log");
  }

  public Path artifacts() {
    return dir.resolve("artifacts");
  }

  public Path lock() {
    return dir.resolve("lock");
  }

  /** Written by {@code runctl cancel}; the live process watches for it. */
  public Path cancelRequest() {
    return dir.resolve("cancel-requested");
  }
}
