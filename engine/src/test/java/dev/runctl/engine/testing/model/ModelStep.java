package dev.runctl.engine.testing.model;

import dev.runctl.engine.spi.CommandSpec;
import dev.runctl.engine.spi.ConfigNode;
import dev.runctl.engine.spi.ConfigureContext;
import dev.runctl.engine.spi.DetachedProcess;
import dev.runctl.engine.spi.DetachedSpec;
import dev.runctl.engine.spi.ExecResult;
import dev.runctl.engine.spi.Machine;
import dev.runctl.engine.spi.ProcessPoll;
import dev.runctl.engine.spi.StepConfig;
import dev.runctl.engine.spi.StepContext;
import dev.runctl.engine.spi.StepException;
import dev.runctl.engine.spi.StepResult;
import dev.runctl.engine.spi.StepType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Step types of the {@link ModelWorld} with the flags of the built-in ones: provision, sync and
 * deps set the machine up ({@code machineState()}), teardown gives it back ({@code
 * releasesMachine()}, keeping the checkpoints when the run failed or stopped), train starts a
 * detached process (its handle in the facts, reattached by a later attempt) and waits for it, and
 * {@code check} runs {@code check=} and {@code write=} on the machine (verify, or any work). Each
 * records its attempts in the world and fails once when the world says so.
 */
public final class ModelStep implements StepType<ModelStep.Config> {
  /** What the step does. */
  public enum Kind {
    PROVISION,
    SYNC,
    DEPS,
    TRAIN,
    CHECK,
    TEARDOWN
  }

  /**
   * {@code with: {check: [..], write: [..], creates: [..]}}: {@code creates}, as a {@code run}
   * step's, names files on the machine whose presence means the work is done.
   */
  public record Config(List<String> check, List<String> write, List<String> creates)
      implements StepConfig {
    @Override
    public Map<String, String> describe() {
      return Map.of(
          "check", check.toString(), "write", write.toString(), "creates", creates.toString());
    }

    @Override
    public boolean machineState() {
      return !creates.isEmpty();
    }
  }

  private final ModelWorld world;
  private final Kind kind;

  public ModelStep(ModelWorld world, Kind kind) {
    this.world = world;
    this.kind = kind;
  }

  @Override
  public String name() {
    return kind.name().toLowerCase();
  }

  @Override
  public Set<String> outputs() {
    return Set.of("machine_id");
  }

  @Override
  public boolean machineState() {
    return kind == Kind.PROVISION || kind == Kind.SYNC || kind == Kind.DEPS;
  }

  @Override
  public boolean releasesMachine() {
    return kind == Kind.TEARDOWN;
  }

  @Override
  public Config configure(ConfigureContext ctx) {
    return new Config(
        list(ctx.with(), "check"), list(ctx.with(), "write"), list(ctx.with(), "creates"));
  }

  private static List<String> list(ConfigNode.Mapping with, String key) {
    List<String> out = new ArrayList<>();
    with.get(key)
        .filter(n -> n instanceof ConfigNode.Seq)
        .ifPresent(
            n ->
                ((ConfigNode.Seq) n)
                    .items()
                    .forEach(i -> out.add(((ConfigNode.Scalar) i).value())));
    return out;
  }

  @Override
  public Optional<StepResult> alreadyDone(Config config, StepContext ctx) throws Exception {
    if (config.creates().isEmpty()) {
      return Optional.empty();
    }
    Machine m = ctx.target().machine();
    for (String path : config.creates()) {
      if (m.read(path, 0).isEmpty()) {
        return Optional.empty();
      }
    }
    int process = ((ModelTarget) ctx.target()).process();
    world.event(process, ctx.stepId(), "start");
    world.event(process, ctx.stepId(), "ok");
    return Optional.of(StepResult.of(Map.of()));
  }

  @Override
  public StepResult execute(Config config, StepContext ctx) throws Exception {
    int process = ((ModelTarget) ctx.target()).process();
    world.event(process, ctx.stepId(), "start");
    try {
      if (world.takeFailure(ctx.stepId())) {
        throw StepException.failure("failed on cue", "resume it");
      }
      StepResult r = run(config, ctx);
      world.event(process, ctx.stepId(), "ok");
      return r;
    } catch (Exception | Error e) {
      world.event(process, ctx.stepId(), "failed");
      throw e;
    }
  }

  private StepResult run(Config config, StepContext ctx) throws Exception {
    switch (kind) {
      case PROVISION -> {
        return StepResult.of(Map.of("machine_id", ctx.target().provision(ctx.log()).id()));
      }
      case SYNC -> command(ctx, List.of("write=code"));
      case DEPS -> command(ctx, List.of("check=code", "write=venv"));
      case TRAIN -> train(ctx);
      case CHECK -> {
        List<String> argv = new ArrayList<>(List.of("model"));
        config.check().forEach(p -> argv.add("check=" + p));
        config.write().forEach(p -> argv.add("write=" + p));
        command(ctx, argv);
      }
      case TEARDOWN -> {
        if (ctx.runHasFailed() || ctx.runWasStopped()) {
          ctx.target().destroyKeepingProgress(ctx.log());
        } else {
          ctx.target().destroy(ctx.log());
        }
      }
    }
    return StepResult.of(Map.of());
  }

  private static void command(StepContext ctx, List<String> argv) throws InterruptedException {
    ExecResult r = ctx.target().machine().exec(CommandSpec.of(argv, Map.of()), ctx.log());
    if (!r.ok()) {
      throw StepException.failure(ctx.stepId() + ": " + r.tail(), "see the step log");
    }
  }

  /** As the train step does: its process's name journaled before the start, found by it after. */
  private static void train(StepContext ctx) throws InterruptedException {
    Machine m = ctx.target().machine();
    String handleFact = "model." + ctx.stepId() + ".handle";
    String nameFact = "model." + ctx.stepId() + ".name";
    String name = "train";
    Optional<DetachedProcess> again =
        ctx.facts().get(handleFact).isPresent()
            ? m.attach(ctx.facts().get(handleFact).get())
            : Optional.empty();
    if (again.isEmpty() && ctx.facts().get(nameFact).isPresent()) {
      again = m.attachByName(name);
    }
    DetachedProcess p;
    if (again.isPresent()) {
      p = again.get();
    } else {
      ctx.facts().put(nameFact, name);
      p =
          m.start(
              new DetachedSpec(
                  name, CommandSpec.of(List.of("train"), Map.of()), Optional.of("checkpoints")));
    }
    ctx.facts().put(handleFact, p.handle());
    ProcessPoll poll = p.poll(0);
    while (poll.state() == ProcessPoll.State.RUNNING) {
      poll = p.poll(0);
    }
    int exit = poll.exitCode().orElse(-1);
    if (exit != 0) {
      throw StepException.failure("training exited " + exit, "see the step log");
    }
  }
}
