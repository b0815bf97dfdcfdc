package dev.runctl.steps.train;

import dev.runctl.engine.spi.CommandSpec;
import dev.runctl.engine.spi.ConfigureContext;
import dev.runctl.engine.spi.DetachedProcess;
import dev.runctl.engine.spi.DetachedSpec;
import dev.runctl.engine.spi.Machine;
import dev.runctl.engine.spi.ProcessPoll;
import dev.runctl.engine.spi.RemoteFile;
import dev.runctl.engine.spi.StepConfig;
import dev.runctl.engine.spi.StepContext;
import dev.runctl.engine.spi.StepException;
import dev.runctl.engine.spi.StepResult;
import dev.runctl.engine.spi.StepType;
import dev.runctl.steps.deps.DepsStep;
import dev.runctl.steps.support.Durations;
import dev.runctl.steps.support.WithReader;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code uses: train}: starts {@code script} with {@code args} (a list, never joined) as a detached
 * process on the machine, in the synced workdir, with the deps environment's interpreter when there
 * is one. Its handle goes into the run's facts the moment it starts, so that a retried or resumed
 * attempt reattaches to it while it runs, or starts it again (resuming from its newest checkpoint)
 * once it has ended.
 */
public final class TrainStep implements StepType<TrainStep.Config> {

  /** The step's settings; {@code progressTimeout} empty means no hang detection. */
  public record Config(
      String script, List<String> args, String checkpoints, Optional<Duration> progressTimeout)
      implements StepConfig {
    @Override
    public List<String> requiredPaths() {
      return ConfigureContext.hasExpression(script) ? List.of() : List.of(script);
    }

    @Override
    public Map<String, String> describe() {
      Map<String, String> d = new LinkedHashMap<>();
      d.put("script", script);
      d.put("args", args.toString());
      d.put("checkpoints", checkpoints);
      d.put("progress_timeout", progressTimeout.map(Durations::format).orElse("(none)"));
      return d;
    }
  }

  static String handleFact(String stepId) {
    return "train." + stepId + ".handle";
  }

  static String exitFact(String stepId) {
    return "train." + stepId + ".exit_code";
  }

  @Override
  public String name() {
    return "train";
  }

  @Override
  public Set<String> outputs() {
    return Set.of("exit_code", "last_checkpoint");
  }

  @Override
  public Config configure(ConfigureContext ctx) {
    WithReader with =
        new WithReader(ctx, Set.of("script", "args", "checkpoints", "progress_timeout"));
    String script = with.requiredString("script", "training/train.py");
    if (!script.isEmpty()
        && !ConfigureContext.hasExpression(script)
        && !Files.isRegularFile(ctx.job().workdir().resolve(script))) {
      with.error(
          "script",
          "train script '" + script + "' does not exist in the workdir " + ctx.job().workdir(),
          "the path is relative to the spec's workdir (set workdir: in the spec to change it)");
    }
    String checkpoints = with.string("checkpoints").orElse("checkpoints");
    return new Config(
        script, with.stringList("args"), checkpoints, with.duration("progress_timeout"));
  }

  @Override
  public StepResult execute(Config config, StepContext ctx) throws Exception {
    Machine machine = ctx.target().machine();
    DetachedProcess process = reattach(machine, ctx).orElse(null);
    if (process == null) {
      process = start(config, machine, ctx);
    }
    TrainFollower.Outcome end =
        new TrainFollower(process, config.progressTimeout(), ctx).follow(machine);
    ctx.facts().put(exitFact(ctx.stepId()), Integer.toString(end.exitCode()));
    if (end.exitCode() != 0) {
      throw StepException.failure(
          "training script "
              + config.script()
              + " exited with code "
              + end.exitCode()
              + "; its last output:\n"
              + end.tail(),
          "its full output is in the step log (runctl logs "
              + ctx.runId()
              + " "
              + ctx.stepId()
              + "); a retry starts it again with RUNCTL_CHECKPOINT_DIR="
              + checkpointDir(config, machine)
              + " so that it resumes from its newest checkpoint");
    }
    Map<String, String> out = new LinkedHashMap<>();
    out.put("exit_code", "0");
    out.put("last_checkpoint", lastCheckpoint(config, machine));
    return StepResult.of(out);
  }

  private static Optional<DetachedProcess> reattach(Machine machine, StepContext ctx)
      throws InterruptedException {
    Optional<String> handle = ctx.facts().get(handleFact(ctx.stepId()));
    if (handle.isEmpty()) {
      return Optional.empty();
    }
    Optional<DetachedProcess> found = machine.attach(handle.get());
    if (found.isEmpty()) {
      ctx.log()
          .line("the earlier training process " + handle.get() + " is gone; starting it again");
      return Optional.empty();
    }
    ProcessPoll look = found.get().poll(Long.MAX_VALUE);
    switch (look.state()) {
      case RUNNING -> {
        ctx.log().line("reattached to the training process that is still running: " + handle.get());
        return found;
      }
      case EXITED -> {
        if (look.exitCode().orElse(-1) == 0) {
          ctx.log().line("the training process ended with exit code 0 while runctl was away");
          return found;
        }
        ctx.log()
            .line(
                "the earlier training process ended with exit code "
                    + look.exitCode().orElse(-1)
                    + "; starting a new one that resumes from the newest checkpoint");
        return Optional.empty();
      }
      default -> {
        ctx.log().line("the earlier training process was lost; starting a new one");
        return Optional.empty();
      }
    }
  }

  private static DetachedProcess start(Config config, Machine machine, StepContext ctx)
      throws InterruptedException {
    List<String> argv = new ArrayList<>();
    if (config.script().endsWith(".py")) {
      argv.add(ctx.facts().get(DepsStep.PYTHON_FACT).orElse("python3"));
      argv.add(config.script());
    } else {
      argv.add(machine.workdir() + "/" + config.script());
    }
    argv.addAll(config.args());
    Map<String, String> env = new LinkedHashMap<>(ctx.env());
    env.put("RUNCTL_CHECKPOINT_DIR", checkpointDir(config, machine));
    env.put("PYTHONUNBUFFERED", "1");
    DetachedProcess p =
        machine.start(
            new DetachedSpec(
                "train-" + ctx.stepId(),
                new CommandSpec(argv, env, Optional.empty()),
                Optional.of(config.checkpoints())));
    ctx.facts().put(handleFact(ctx.stepId()), p.handle());
    ctx.log()
        .line(
            "started "
                + String.join(" ", argv.subList(0, Math.min(2, argv.size())))
                + " with "
                + config.args().size()
                + " argument(s) on "
                + machine.id()
                + ": "
                + p.handle());
    return p;
  }

  private static String checkpointDir(Config config, Machine machine) {
    return config.checkpoints().startsWith("/")
        ? config.checkpoints()
        : machine.workdir() + "/" + config.checkpoints();
  }

  private static String lastCheckpoint(Config config, Machine machine) throws InterruptedException {
    return machine.list(config.checkpoints()).stream()
        .filter(f -> !f.path().endsWith("metrics.json"))
        .max(Comparator.comparingLong(RemoteFile::modifiedMillis).thenComparing(RemoteFile::path))
        .map(RemoteFile::path)
        .orElse("");
  }
}
