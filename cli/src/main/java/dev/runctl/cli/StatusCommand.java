package dev.runctl.cli;

import dev.runctl.engine.ErrorCategory;
import dev.runctl.engine.RunctlException;
import dev.runctl.engine.state.LockHolder;
import dev.runctl.engine.state.RunFolder;
import dev.runctl.engine.state.RunLock;
import dev.runctl.engine.state.RunState;
import dev.runctl.engine.state.Snapshotter;
import dev.runctl.engine.state.StepState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code runctl status RUN_ID}: each step's state, attempts, duration and outputs. */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = {
      "Show a run: its status, and each step's state, attempts, duration and outputs.",
      "When no runctl process holds the run, runctl also asks the run's target what of it is"
          + " still alive (an EC2 instance, a training process that outlived runctl, a workspace"
          + " that no teardown removed), within 10 seconds; `runctl destroy RUN_ID` tears that"
          + " down."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  runctl status tiny-mlp-20261123-120000-ab12",
      "  runctl status --output json tiny-mlp-20261123-120000-ab12 | jq -c 'select(.type == \"step\")'",
      "  runctl status --no-check tiny-mlp-20261123-120000-ab12   # asks no target",
      "",
      "Exit codes: 0, 2 unknown run."
    })
final class StatusCommand implements Callable<Integer> {
  @ParentCommand RunctlCommand root;

  @Parameters(
      arity = "0..1",
      paramLabel = "RUN_ID",
      description =
          "The run or sweep: its id, a unique prefix of it, or `latest` (default: the newest run of this project; see `runctl runs`).")
  String runId;

  @Option(
      names = {"--no-check", "--offline"},
      description =
          "Do not ask the run's target what is still alive (no AWS call): show what the journal"
              + " says.")
  boolean noCheck;

  record RunSummary(
      String runId,
      String job,
      String status,
      String reason,
      String startedAt,
      long elapsedMillis,
      int resumes,
      String holder,
      String runDir,
      java.util.List<String> warnings,
      java.util.List<LastMetrics> metrics,
      Alive live)
      implements CliEvent {
    public String type() {
      return "run";
    }

    public String text() {
      StringBuilder b = new StringBuilder();
      b.append("run ").append(runId).append(" (").append(job).append("): ").append(status);
      if (!reason.isEmpty()) {
        b.append(": ").append(reason);
      }
      b.append("\n  started ")
          .append(startedAt)
          .append(", ")
          .append(RunLines.elapsed(Duration.ofMillis(elapsedMillis)));
      if (resumes > 0) {
        b.append(", resumed ").append(resumes).append(resumes == 1 ? " time" : " times");
      }
      if (holder != null) {
        b.append("\n  live process: ").append(holder);
      }
      b.append("\n  folder: ").append(runDir);
      if (live != null) {
        switch (live.state()) {
          case ALIVE -> b.append(live.detail(runId, status.equals("interrupted")));
          case NONE -> b.append("\n  alive: nothing (asked its target)");
          case UNKNOWN ->
              b.append("\n  alive: unknown, the target could not be asked: ").append(live.error());
          case SKIPPED -> {}
        }
        b.append(live.noteLines());
      }
      metrics.forEach(
          m -> b.append("\n  last metrics of ").append(m.step()).append(": ").append(m.text()));
      warnings.forEach(w -> b.append("\n  warning: ").append(w));
      b.append(
          String.format(
              "%n%n  %-20s %-10s %8s %9s  %s",
              "STEP", "STATE", "ATTEMPTS", "TIME", "OUTPUTS / MESSAGE"));
      return b.toString();
    }
  }

  /** The last point of each series a train step reported through $RUNCTL_METRICS. */
  record LastMetrics(String step, String xName, double x, Map<String, Double> values) {
    static List<LastMetrics> of(java.nio.file.Path runDir) {
      return dev.runctl.engine.metrics.Metrics.read(runDir).entrySet().stream()
          .map(
              e -> {
                var last = e.getValue().get(e.getValue().size() - 1);
                return new LastMetrics(
                    e.getKey(),
                    last.xName(),
                    last.x(),
                    dev.runctl.engine.metrics.Metrics.latest(e.getValue()));
              })
          .toList();
    }

    String text() {
      return new dev.runctl.engine.spi.MetricPoint(xName, x, values).text();
    }
  }

  record StepRow(
      String runId,
      String step,
      String status,
      int attempts,
      long durationMillis,
      Map<String, String> outputs,
      String errorClass,
      String message)
      implements CliEvent {
    public String type() {
      return "step";
    }

    @Override
    public Tone tone() {
      return Tone.ofStatus(status);
    }

    public String text() {
      String outs =
          outputs.entrySet().stream()
              .map(e -> e.getKey() + "=" + e.getValue())
              .collect(Collectors.joining(" "));
      String detail = outs.isEmpty() ? "" : outs;
      if (!message.isEmpty()) {
        detail +=
            (detail.isEmpty() ? "" : "  ")
                + (errorClass == null ? "" : "[" + errorClass + "] ")
                + message;
      }
      return String.format(
          "  %-20s %-10s %8d %9s  %s",
          step,
          status,
          attempts,
          durationMillis < 0 ? "-" : RunLines.elapsed(Duration.ofMillis(durationMillis)),
          detail.replace("\n", " "));
    }
  }

  @Override
  public Integer call() throws InterruptedException {
    java.util.Optional<String> sweep = SweepCommands.find(root, runId);
    if (sweep.isPresent()) {
      return SweepCommands.status(root, sweep.get());
    }
    Output out = root.output();
    RunFinder.Found found = root.runFinder().find(runId);
    runId = found.runId();
    RunSession session = RunSession.on(root, found);
    RunFolder folder = found.folder();
    RunState s = Snapshotter.read(folder);
    boolean live = RunLock.isHeld(folder);
    if (s.runId().isEmpty() && !live) {
      BrokenRun b =
          BrokenRun.notBegun(
              folder, "its journal holds no start of the run: the apply stopped before it began");
      throw new RunctlException(
          ErrorCategory.USAGE, "run " + runId + " is incomplete: " + b.problem(), b.remedy());
    }
    Alive alive = null;
    if (!noCheck) {
      alive =
          live
              ? Alive.SKIPPED
              : Alive.of(
                  new LiveCheck(session.store(), root.components().specLoader(), LiveCheck.TIMEOUT)
                      .check(List.of(new LiveCheck.Subject(folder, s)))
                      .of(runId));
    }
    Instant now = Instant.now();
    out.emit(
        new RunSummary(
            runId,
            s.job(),
            RunsCommand.liveStatus(folder, s),
            s.reason(),
            s.startedAt().toString(),
            s.elapsed(now).toMillis(),
            s.resumes(),
            live ? RunLock.holder(folder).map(LockHolder::describe).orElse("unknown") : null,
            folder.dir().toString(),
            s.warnings(),
            LastMetrics.of(folder.dir()),
            alive));
    for (StepState st : s.steps().values()) {
      long ms =
          st.startedAt()
              .map(a -> Duration.between(a, st.endedAt().orElse(live ? now : a)).toMillis())
              .orElse(-1L);
      out.emit(
          new StepRow(
              runId,
              st.id(),
              st.status().label(),
              st.attempts(),
              ms,
              st.outputs(),
              st.errorClass().orElse(null),
              st.message()));
    }
    return ExitCodes.OK;
  }
}
