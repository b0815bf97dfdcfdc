package dev.runctl.cli;

import dev.runctl.cli.report.RunReport;
import dev.runctl.engine.state.RunFolder;
import dev.runctl.engine.state.RunState;
import dev.runctl.engine.state.Snapshotter;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code runctl report RUN}: writes the run's HTML report into its folder and prints its path. */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description = {
      "Write one self-contained HTML file about a run (report.html in its folder) and print its"
          + " path: outcome and cost, a timeline of every attempt, a chart per metric reported"
          + " through $RUNCTL_METRICS, the resolved spec, the artifacts and the tail of each log.",
      "apply and resume write it at the end of every run; this writes it again, also while the"
          + " run is going on."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  runctl report tiny-mlp-20261123-120000-ab12",
      "  xdg-open $(runctl report latest)"
    })
final class ReportCommand implements Callable<Integer> {
  @ParentCommand RunctlCommand root;

  @Parameters(paramLabel = "RUN_ID", description = "The run or sweep (see `runctl runs`).")
  String runId;

  /** The report's path, as a line of output. */
  record Written(String runId, String report) implements CliEvent {
    public String type() {
      return "report";
    }

    public String text() {
      return "report: " + report;
    }
  }

  @Override
  public Integer call() throws IOException {
    java.util.Optional<String> sweep = SweepCommands.find(root, runId);
    if (sweep.isPresent()) {
      return SweepCommands.report(root, sweep.get());
    }
    RunFolder folder = new RunSession(root).known(runId);
    RunState s = Snapshotter.read(folder);
    Path path = RunReport.write(folder, s, RunsCommand.liveStatus(folder, s));
    root.output().emit(new Written(folder.runId(), path.toString()));
    return ExitCodes.OK;
  }

  /**
   * At the end of apply and resume, with the state the run's process holds: a report that cannot be
   * written is a warning only.
   */
  static void writeQuietly(Output out, RunFolder folder, RunState s, String status) {
    try {
      out.emit(new Written(folder.runId(), RunReport.write(folder, s, status).toString()));
    } catch (IOException | RuntimeException e) {
      warn(out, folder, e);
    }
  }

  private static void warn(Output out, RunFolder folder, Exception e) {
    out.emit(
        new RunLines.Warning(
            folder.runId(),
            Instant.now().toString(),
            null,
            "the run's report could not be written: " + e.getMessage()));
  }
}
