package dev.runctl.cli;

import dev.runctl.cli.report.SweepReport;
import dev.runctl.cli.sweep.SweepRecord;
import dev.runctl.cli.sweep.SweepStore;
import dev.runctl.engine.ErrorCategory;
import dev.runctl.engine.RunctlException;
import dev.runctl.engine.state.RunFolder;
import dev.runctl.engine.state.RunLock;
import dev.runctl.engine.state.RunStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** {@code status}, {@code cancel} and {@code report} of a sweep: its children together. */
final class SweepCommands {
  private SweepCommands() {}

  /** The sweep {@code typed} names in this project's state folder, if it names one. */
  static Optional<String> find(RunctlCommand root, String typed) {
    if (typed == null || typed.equals(RunFinder.LATEST)) {
      return Optional.empty();
    }
    return new SweepStore(root.stateDir()).find(typed);
  }

  /** The sweep's header line (in JSON: the sweep's structure), then a row per child. */
  record Summary(
      String sweepId,
      String job,
      String status,
      String sweepDir,
      int maxParallel,
      boolean failFast,
      List<SweepRecord.Child> children)
      implements CliEvent {
    public String type() {
      return "sweep";
    }

    public String text() {
      return "sweep "
          + sweepId
          + " ("
          + job
          + "): "
          + status
          + "\n  folder: "
          + sweepDir
          + "\n\n"
          + SweepLines.header();
    }
  }

  static int status(RunctlCommand root, String sweepId) {
    SweepStore sweeps = new SweepStore(root.stateDir());
    SweepRecord r = sweeps.read(sweepId);
    List<SweepLines.ChildRow> rows = SweepRows.of(new RunStore(root.stateDir()), r);
    Output out = root.output();
    out.emit(
        new Summary(
            r.sweepId(),
            r.job(),
            SweepRows.status(rows),
            sweeps.dir(sweepId).toString(),
            r.maxParallel(),
            r.failFast(),
            r.children()));
    rows.forEach(out::emit);
    return ExitCodes.OK;
  }

  static int report(RunctlCommand root, String sweepId) throws IOException {
    SweepStore sweeps = new SweepStore(root.stateDir());
    RunStore store = new RunStore(root.stateDir());
    SweepRecord r = sweeps.read(sweepId);
    List<SweepLines.ChildRow> rows = SweepRows.of(store, r);
    Path path = SweepReport.write(sweeps.dir(sweepId), SweepRows.report(store, r, rows));
    root.output().emit(new ReportCommand.Written(sweepId, path.toString()));
    return ExitCodes.OK;
  }

  /**
   * Asks the sweep to start no further child, and each live child to stop (its running steps are
   * stopped, its {@code always} steps run); with {@code wait}, until none is held.
   */
  static int cancel(RunctlCommand root, String sweepId, boolean wait) throws InterruptedException {
    SweepStore sweeps = new SweepStore(root.stateDir());
    RunStore store = new RunStore(root.stateDir());
    SweepRecord r = sweeps.read(sweepId);
    try {
      Files.writeString(sweeps.cancelRequest(sweepId), "requested " + Instant.now() + "\n");
      int asked = 0;
      for (SweepRecord.Child c : r.children()) {
        RunFolder f = store.folder(c.runId());
        if (store.exists(c.runId()) && RunLock.isHeld(f)) {
          Files.writeString(f.cancelRequest(), "requested " + Instant.now() + "\n");
          asked++;
        }
      }
      root.output()
          .emit(
              new CancelCommand.CancelRequested(
                  sweepId,
                  null,
                  asked == 0
                      ? "sweep " + sweepId + " has no live child; none will start"
                      : "asked "
                          + asked
                          + (asked == 1 ? " live child" : " live children")
                          + " of sweep "
                          + sweepId
                          + " to stop; no further child starts"));
    } catch (IOException e) {
      throw new RunctlException(
          ErrorCategory.STATE,
          "cannot write the cancel request of sweep " + sweepId + ": " + e.getMessage(),
          "check that the state folder is writable, or press Ctrl+C where the sweep is live");
    }
    while (wait
        && r.children().stream()
            .anyMatch(c -> store.exists(c.runId()) && RunLock.isHeld(store.folder(c.runId())))) {
      Thread.sleep(200);
    }
    if (wait) {
      root.output()
          .emit(
              new CancelCommand.CancelRequested(
                  sweepId, null, "sweep " + sweepId + " stopped: no child is live"));
    }
    return ExitCodes.OK;
  }
}
