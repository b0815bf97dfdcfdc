package dev.runctl.cli;

import dev.runctl.engine.state.JournalDamagedException;
import dev.runctl.engine.state.RunFolder;
import dev.runctl.engine.state.RunIds;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Instant;
import java.util.Optional;

/**
 * A run folder that {@code runctl runs} cannot show as a run, listed with what is wrong and what to
 * do: {@code damaged} (a journal line that is no record; {@code line} says which) or {@code
 * incomplete} (an apply that stopped, on a full disk say, before its journal held a record).
 */
record BrokenRun(
    String runId,
    String job,
    String status,
    String startedAt,
    Integer line,
    String problem,
    String remedy)
    implements CliEvent {

  public String type() {
    return "run";
  }

  public String text() {
    return RunsCommand.row(runId, job, status, startedAt, "-", "-")
        + "\n    "
        + problem
        + ": "
        + remedy;
  }

  /** The folder of an apply that stopped before its journal held a record, if {@code f} is one. */
  static Optional<BrokenRun> incomplete(RunFolder f) {
    try {
      if (Files.isRegularFile(f.journal()) && Files.size(f.journal()) > 0) {
        return Optional.empty();
      }
    } catch (IOException e) {
      return Optional.empty();
    }
    return Optional.of(
        notBegun(
            f,
            Files.exists(f.journal())
                ? "its journal is empty: the apply stopped before the run began (a full disk?)"
                : "it has no journal: the apply stopped while making the run folder (a full"
                    + " disk?)"));
  }

  /** A run whose journal holds no start of the run (only a torn line, say). */
  static BrokenRun notBegun(RunFolder f, String what) {
    return new BrokenRun(
        f.runId(),
        RunIds.job(f.runId()),
        "incomplete",
        started(f),
        null,
        what,
        "nothing ran; remove it with `rm -r " + f.dir() + "`");
  }

  /** A run whose journal has a damaged line. */
  static BrokenRun damaged(RunFolder f, JournalDamagedException e) {
    return new BrokenRun(
        f.runId(),
        RunIds.job(f.runId()),
        "damaged",
        started(f),
        e.line(),
        "journal.jsonl line " + e.line() + " is damaged (" + e.problem() + ")",
        "restore "
            + f.journal()
            + " from a backup; `runctl destroy` cannot read it either, so check its target by"
            + " hand before removing the run with `rm -r "
            + f.dir()
            + "`");
  }

  private static String started(RunFolder f) {
    Instant at =
        RunIds.time(f.runId())
            .orElseGet(
                () -> {
                  try {
                    return Files.getLastModifiedTime(f.dir()).toInstant();
                  } catch (IOException e) {
                    return Instant.EPOCH;
                  }
                });
    return at.toString();
  }
}
