package dev.runctl.cli;

import dev.runctl.engine.state.RunFolder;
import dev.runctl.engine.state.RunLock;
import dev.runctl.engine.state.RunState;
import dev.runctl.engine.state.RunStatus;
import dev.runctl.engine.state.RunStore;
import dev.runctl.engine.state.Snapshotter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code runctl runs}: the runs under the state folder, newest first. */
@Command(
    name = "runs",
    mixinStandardHelpOptions = true,
    description = {
      "List the runs under --state-dir, newest first: id, job, status, start, duration and cost.",
      "A run whose process died while it was running shows as `interrupted`: continue it with"
          + " `runctl resume`."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  runctl runs",
      "  runctl runs --output json | jq -r 'select(.status == \"failed\") | .runId'"
    })
final class RunsCommand implements Callable<Integer> {
  @ParentCommand RunctlCommand root;

  /** One run in the list. */
  record RunRow(
      String runId,
      String job,
      String status,
      String startedAt,
      long durationMillis,
      String cost,
      String reason)
      implements CliEvent {
    public String type() {
      return "run";
    }

    public String text() {
      return String.format(
          "%-40s %-16s %-12s %-20s %9s %8s",
          runId,
          job,
          status,
          startedAt.substring(0, Math.min(19, startedAt.length())).replace('T', ' '),
          RunLines.elapsed(java.time.Duration.ofMillis(durationMillis)),
          cost == null ? "-" : "$" + cost);
    }
  }

  @Override
  public Integer call() {
    Output out = root.output();
    RunStore store = new RunStore(root.stateDir());
    List<RunFolder> runs = store.list();
    if (runs.isEmpty()) {
      out.note("no runs in " + store.stateDir() + "; start one with `runctl apply FILE`");
      return ExitCodes.OK;
    }
    if (!out.json()) {
      out.out()
          .println(
              String.format(
                  "%-40s %-16s %-12s %-20s %9s %8s",
                  "RUN", "JOB", "STATUS", "STARTED", "DURATION", "COST"));
    }
    List<String> unreadable = new ArrayList<>();
    for (RunFolder f : runs) {
      try {
        RunState s = Snapshotter.read(f);
        out.emit(
            new RunRow(
                f.runId(),
                s.job(),
                liveStatus(f, s),
                s.startedAt().toString(),
                s.elapsed(Instant.now()).toMillis(),
                s.cost().orElse(null),
                s.reason()));
      } catch (RuntimeException e) {
        unreadable.add(f.runId() + " (" + e.getMessage() + ")");
      }
    }
    unreadable.forEach(u -> out.note("cannot read run " + u));
    return ExitCodes.OK;
  }

  /** {@code running} only while a process holds the run; otherwise {@code interrupted}. */
  static String liveStatus(RunFolder f, RunState s) {
    if (s.status() != RunStatus.RUNNING) {
      return s.status().label();
    }
    return RunLock.isHeld(f) ? "running" : "interrupted";
  }
}
