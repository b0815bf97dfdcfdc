package dev.runctl.engine.testing.model;

import dev.runctl.engine.spi.Diagnostics;
import dev.runctl.engine.spi.Machine;
import dev.runctl.engine.spi.StepException;
import dev.runctl.engine.spi.StepLog;
import dev.runctl.engine.spi.Target;
import dev.runctl.engine.spi.TargetConfig;
import dev.runctl.engine.spi.TargetContext;
import dev.runctl.engine.spi.TargetProvider;
import dev.runctl.engine.spi.TargetSettings;
import java.util.List;
import java.util.Map;

/**
 * One runctl process's view of the {@link ModelWorld}: provision makes a machine (or finds the one
 * the run's facts name while it is alive) and gives it back what a keeping teardown kept; destroy
 * gives it back, {@link #destroyKeepingProgress} keeping its checkpoints first.
 */
public final class ModelTarget implements Target {
  static final String MACHINE_FACT = "model.machine";

  private final ModelWorld world;
  private final TargetContext context;
  private final int process;

  ModelTarget(ModelWorld world, TargetContext context) {
    this.world = world;
    this.context = context;
    this.process = world.newProcess();
  }

  /** {@code provider: model}: every open is a new runctl process's view of the one world. */
  public static TargetProvider provider(ModelWorld world) {
    return new TargetProvider() {
      @Override
      public String name() {
        return "model";
      }

      @Override
      public TargetConfig configure(TargetSettings spec, Diagnostics diagnostics) {
        return () -> Map.of("provider", "model");
      }

      @Override
      public Target open(TargetConfig config, TargetContext ctx) {
        return new ModelTarget(world, ctx);
      }
    };
  }

  int process() {
    return process;
  }

  ModelWorld world() {
    return world;
  }

  <T> T act(java.util.function.Supplier<T> effect) throws InterruptedException {
    return world.act(process, context.runDir(), effect);
  }

  @Override
  public Machine provision(StepLog log) throws InterruptedException {
    String recorded = context.facts().get(MACHINE_FACT).orElse("");
    String id =
        act(
            () -> {
              if (world.aliveMachine(recorded)) {
                return recorded;
              }
              String made = world.makeMachine();
              context.facts().put(MACHINE_FACT, made); // the moment it exists, as targets must
              return made;
            });
    log.line((id.equals(recorded) ? "found machine " : "made machine ") + id);
    return new ModelMachine(this, id);
  }

  @Override
  public Machine machine() {
    return context
        .facts()
        .get(MACHINE_FACT)
        .map(id -> (Machine) new ModelMachine(this, id))
        .orElseThrow(() -> StepException.fatal("no machine: the plan has no provision", null));
  }

  @Override
  public void destroy(StepLog log) throws InterruptedException {
    release(log, false);
  }

  @Override
  public void destroyKeepingProgress(StepLog log) throws InterruptedException {
    release(log, true);
  }

  private void release(StepLog log, boolean keep) throws InterruptedException {
    String id = context.facts().get(MACHINE_FACT).orElse("");
    act(
        () -> {
          world.release(id, keep);
          return null;
        });
    log.line("gave back machine " + id + (keep ? ", its checkpoints kept" : ""));
  }

  @Override
  public List<String> liveResources() {
    return world.alive();
  }
}
