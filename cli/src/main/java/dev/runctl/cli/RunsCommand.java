package dev.runctl.cli;

import dev.runctl.engine.state.JournalDamagedException;
import dev.runctl.engine.state.RunFolder;
import dev.runctl.engine.state.RunLock;
import dev.runctl.engine.state.RunState;
import dev.runctl.engine.state.RunStatus;
import dev.runctl.engine.state.RunStore;
import dev.runctl.engine.state.Snapshotter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code runctl runs}: the runs under the state folder, newest first, and what they left alive. */
@Command(
    name = "runs",
    mixinStandardHelpOptions = true,
    description = {
      "List the runs under --state-dir, newest first: id, job, status, start, duration and cost.",
      "A run whose process died while it was running shows as `interrupted`: continue it with"
          + " `runctl resume`.",
      "A run whose journal has a damaged line shows as `damaged` (with the line), a run folder"
          + " that an apply left before the run began (a full disk) as `incomplete`: each with what"
          + " to do under it.",
      "For each run that no runctl process holds, runctl also asks the run's target what is still"
          + " alive (an EC2 instance, a training process that outlived runctl, a workspace that no"
          + " teardown removed): the ALIVE column says LEAK (listed under the run; `runctl destroy"
          + " RUN_ID` tears it down), - (nothing), or ? (the target could not be asked: a warning"
          + " says why). Each target is asked once for all its runs (aws: once per region), within"
          + " 10 seconds."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  runctl runs",
      "  runctl runs --no-check     # the journals only: asks no target",
      "  runctl runs --output json | jq -r 'select(.status == \"failed\") | .runId'",
      "  runctl runs --output json | jq -r 'select(.liveCheck == \"alive\") | .runId'",
      "",
      "Exit code: 0, leaks included."
    })
final class RunsCommand implements Callable<Integer> {
  @ParentCommand RunctlCommand root;

  @Option(
      names = {"--no-check", "--offline"},
      description =
          "Do not ask the runs' targets what is still alive (no AWS call, no AWS client built):"
              + " list what the journals say.")
  boolean noCheck;

  @Option(
      names = "--all",
      description =
          "Every run this user started, from any folder (the index of runs in"
              + " $XDG_STATE_HOME/runctl), not only this project's; each with its folder.")
  boolean all;

  static final String ROW = "%-40s %-16s %-12s %-20s %9s %8s";

  /** A line of the list; {@code startedAt} as written (ISO-8601), shown to the second. */
  static String row(
      String id, String job, String status, String startedAt, String duration, String cost) {
    String started = startedAt.substring(0, Math.min(19, startedAt.length())).replace('T', ' ');
    return String.format(ROW, id, job, status, started, duration, cost);
  }

  /** One run in the list; {@code live}: null with --no-check. */
  record RunRow(
      String runId,
      String job,
      String status,
      String startedAt,
      long durationMillis,
      String cost,
      String reason,
      String runDir,
      @EventJson.TextOnly boolean showDir,
      Alive live)
      implements CliEvent {
    public String type() {
      return "run";
    }

    public String text() {
      String row =
          row(
              runId,
              job,
              status,
              startedAt,
              RunLines.elapsed(java.time.Duration.ofMillis(durationMillis)),
              cost == null ? "-" : "$" + cost);
      if (live != null) {
        row +=
            "  "
                + live.marker()
                + live.detail(runId, status.equals("interrupted"))
                + live.noteLines();
      }
      return showDir ? row + "\n    in " + runDir : row;
    }
  }

  /** The end of a list in which some runs leak. */
  record Leaks(List<String> runIds, String message) implements CliEvent {
    public String type() {
      return "leaks";
    }

    public String text() {
      return message;
    }
  }

  /** A run that the check could not look at, and why. */
  record CheckWarning(String message) implements CliEvent {
    public String type() {
      return "warning";
    }

    public String text() {
      return "warning: " + message;
    }
  }

  @Override
  public Integer call() throws InterruptedException {
    Output out = root.output();
    RunStore store = new RunStore(root.stateDir());
    root.sharedRuns().pull(store, null);
    RunFinder finder = new RunFinder(store, root.runIndex());
    List<RunFolder> runs = all ? finder.allRuns() : store.list();
    if (!all) {
      finder.indexProject(runs).ifPresent(out::note);
    }
    if (runs.isEmpty()) {
      out.note(
          all
              ? "no runs in the index of runs nor in "
                  + store.stateDir()
                  + "; start one with `runctl apply FILE`"
              : "no runs in "
                  + store.stateDir()
                  + "; start one with `runctl apply FILE`, or see every project's runs with"
                  + " `runctl runs --all`");
      return ExitCodes.OK;
    }
    Map<String, RunState> states = new LinkedHashMap<>();
    Map<String, String> statuses = new LinkedHashMap<>();
    List<LiveCheck.Subject> unheld = new ArrayList<>();
    List<String> unreadable = new ArrayList<>();
    Map<String, BrokenRun> broken = new LinkedHashMap<>();
    for (RunFolder f : runs) {
      Optional<BrokenRun> incomplete = BrokenRun.incomplete(f);
      if (incomplete.isPresent()) {
        if (!RunLock.isHeld(f)) { // else an apply is making it this moment
          broken.put(f.runId(), incomplete.get());
        }
        continue;
      }
      try {
        RunState s = Snapshotter.read(f);
        if (s.runId().isEmpty()) {
          if (RunLock.isHeld(f)) {
            continue;
          }
          broken.put(
              f.runId(),
              BrokenRun.notBegun(
                  f, "its journal holds no start of the run: the apply stopped before it began"));
          continue;
        }
        String status = liveStatus(f, s);
        states.put(f.runId(), s);
        statuses.put(f.runId(), status);
        if (!status.equals("running")) {
          unheld.add(new LiveCheck.Subject(f, s));
        }
      } catch (JournalDamagedException e) {
        broken.put(f.runId(), BrokenRun.damaged(f, e));
      } catch (RuntimeException e) {
        unreadable.add(f.runId() + " (" + e.getMessage() + ")");
      }
    }
    LiveCheck.Result checked =
        noCheck
            ? null
            : new LiveCheck(store, root.components().specLoader(), LiveCheck.TIMEOUT).check(unheld);
    if (!out.json()) {
      String header =
          String.format(ROW, "RUN", "JOB", "STATUS", "STARTED", "DURATION", "COST")
              + (noCheck ? "" : "  ALIVE");
      out.out().println(header);
    }
    List<String> leaking = new ArrayList<>();
    List<SweepGroups.Entry> entries = SweepGroups.order(runs);
    for (SweepGroups.Entry entry : entries) {
      RunFolder f = entry.folder();
      String id = f.runId();
      if (entry.first()) {
        out.emit(
            SweepGroups.row(
                entry,
                entries,
                s -> statuses.getOrDefault(s, "damaged"),
                s -> java.util.Optional.ofNullable(states.get(s)).map(RunState::startedAt)));
      }
      if (broken.containsKey(id)) {
        out.emit(broken.get(id));
        continue;
      }
      RunState s = states.get(id);
      if (s == null) {
        continue;
      }
      Alive live = null;
      if (checked != null) {
        live = statuses.get(id).equals("running") ? Alive.SKIPPED : Alive.of(checked.of(id));
      }
      if (live != null && live.leaks()) {
        leaking.add(id);
      }
      RunRow row =
          new RunRow(
              id,
              s.job(),
              statuses.get(id),
              s.startedAt().toString(),
              s.elapsed(Instant.now()).toMillis(),
              s.cost().orElse(null),
              s.reason(),
              f.dir().toString(),
              all,
              live);
      out.emit(entry.sweep().isPresent() && !out.json() ? new SweepGroups.Child(row) : row);
    }
    unreadable.forEach(u -> out.note("cannot read run " + u));
    if (checked != null) {
      for (String problem : checked.problems()) {
        CheckWarning w = new CheckWarning(problem + " (`runctl runs --no-check` skips this check)");
        if (out.json()) {
          out.emit(w);
        } else {
          out.note(w.text());
        }
      }
    }
    if (!leaking.isEmpty()) {
      out.emit(new Leaks(leaking, leakSummary(leaking)));
    }
    return ExitCodes.OK;
  }

  static String leakSummary(List<String> runIds) {
    return (runIds.size() == 1 ? "1 run still has" : runIds.size() + " runs still have")
        + " machines, processes or workspaces alive: "
        + String.join(", ", runIds)
        + "; `runctl destroy RUN_ID` tears a run's down";
  }

  /** {@code running} only while a process holds the run; otherwise {@code interrupted}. */
  static String liveStatus(RunFolder f, RunState s) {
    if (s.status() != RunStatus.RUNNING) {
      return s.status().label();
    }
    return RunLock.isHeld(f) ? "running" : "interrupted";
  }
}
