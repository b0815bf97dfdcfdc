package dev.runctl.steps.train;

import dev.runctl.engine.spi.CommandSpec;
import dev.runctl.engine.spi.DetachedProcess;
import dev.runctl.engine.spi.DetachedSpec;
import dev.runctl.engine.spi.Machine;
import dev.runctl.engine.spi.ProcessPoll;
import dev.runctl.engine.spi.StepContext;
import dev.runctl.steps.deps.DepsStep;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the training process an earlier attempt (or an earlier runctl) started, or starts a new
 * one: with the deps environment's interpreter, {@code RUNCTL_CHECKPOINT_DIR}, its name in the
 * run's facts before it starts and its handle the moment it exists. A runctl killed between the two
 * leaves a process that the next attempt finds by its name ({@link Machine#attachByName}).
 */
final class TrainLauncher {
  private TrainLauncher() {}

  /**
   * The name of the step's training process: the same for every attempt and every resume of the
   * run, so that a start a killed runctl left unrecorded is found by it (see {@link
   * Machine#start}).
   */
  static String processName(StepContext ctx) {
    return "train-" + ctx.stepId();
  }

  static Optional<DetachedProcess> reattach(Machine machine, StepContext ctx)
      throws InterruptedException {
    Optional<String> handle = ctx.facts().get(TrainStep.handleFact(ctx.stepId()));
    Optional<String> name = ctx.facts().get(TrainStep.nameFact(ctx.stepId()));
    Optional<DetachedProcess> found = Optional.empty();
    if (handle.isPresent()) {
      found = machine.attach(handle.get());
    }
    if (found.isEmpty() && name.isPresent()) {
      // a start whose handle was never journaled (runctl died inside it), or a handle of a
      // process an earlier machine had: the name finds what this machine has
      found = machine.attachByName(name.get());
      if (found.isPresent()) {
        ctx.facts().put(TrainStep.handleFact(ctx.stepId()), found.get().handle());
      }
    }
    if (found.isEmpty()) {
      handle.ifPresent(
          h -> ctx.log().line("the earlier training process " + h + " is gone; starting it again"));
      return Optional.empty();
    }
    ProcessPoll look = found.get().poll(Long.MAX_VALUE);
    switch (look.state()) {
      case RUNNING -> {
        ctx.progress(
            "reattached to the training "
                + ctx.facts()
                    .get(TrainStep.startedFact(ctx.stepId()))
                    .map(at -> "started at " + when(at))
                    .orElse("an earlier attempt started")
                + ", which is still running ("
                + found.get().handle()
                + ")");
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

  static DetachedProcess start(TrainStep.Config config, Machine machine, StepContext ctx)
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
    env.put("RUNCTL_METRICS", MetricsFollower.remotePath(config, machine));
    env.put("PYTHONUNBUFFERED", "1");
    String name = processName(ctx);
    // durable before the start: a runctl killed inside it leaves a process found by its name
    ctx.facts().put(TrainStep.nameFact(ctx.stepId()), name);
    ctx.facts().put(TrainStep.startedFact(ctx.stepId()), ctx.clock().now().toString());
    DetachedProcess p =
        machine.start(
            new DetachedSpec(
                name,
                new CommandSpec(argv, env, Optional.empty()),
                Optional.of(config.checkpoints()),
                ctx.secrets(),
                ctx.timeout()));
    ctx.facts().put(TrainStep.handleFact(ctx.stepId()), p.handle());
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

  /** An instant as the user reads it: {@code 2026-11-23 12:00:05 UTC}, in the local time zone. */
  private static String when(String instant) {
    try {
      return WHEN.format(Instant.parse(instant));
    } catch (DateTimeParseException e) {
      return instant;
    }
  }

  private static final DateTimeFormatter WHEN =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss z", Locale.ROOT)
          .withZone(ZoneId.systemDefault());

  static String checkpointDir(TrainStep.Config config, Machine machine) {
    return config.checkpoints().startsWith("/")
        ? config.checkpoints()
        : machine.workdir() + "/" + config.checkpoints();
  }
}
