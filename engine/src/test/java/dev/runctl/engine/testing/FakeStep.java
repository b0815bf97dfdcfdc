package dev.runctl.engine.testing;

import dev.runctl.engine.spi.CommandSpec;
import dev.runctl.engine.spi.ConfigNode;
import dev.runctl.engine.spi.ConfigureContext;
import dev.runctl.engine.spi.ExecResult;
import dev.runctl.engine.spi.StepConfig;
import dev.runctl.engine.spi.StepContext;
import dev.runctl.engine.spi.StepException;
import dev.runctl.engine.spi.StepResult;
import dev.runctl.engine.spi.StepType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A step type for engine tests ({@code uses: fake}, or any name given): runs {@code with.cmd} on
 * the target's machine (provisioning one when {@code provision: true}), fails when the command
 * exits non-zero, returns {@code with.outputs} (after expression resolution) as outputs and {@code
 * with.fingerprint} as its input fingerprint; {@code with.done: true} makes it already done.
 */
public class FakeStep implements StepType<FakeStep.Config> {
  private final String name;
  private final boolean machineState;

  public FakeStep() {
    this("fake", false);
  }

  public FakeStep(String name, boolean machineState) {
    this.name = name;
    this.machineState = machineState;
  }

  /** The settings. */
  public record Config(
      String cmd,
      Map<String, String> outputs,
      Optional<String> fingerprint,
      boolean done,
      boolean provision)
      implements StepConfig {
    @Override
    public Map<String, String> describe() {
      return Map.of("cmd", cmd);
    }
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Set<String> outputs() {
    return Set.of("value", "machine_id");
  }

  @Override
  public boolean machineState() {
    return machineState;
  }

  @Override
  public Config configure(ConfigureContext ctx) {
    ConfigNode.Mapping w = ctx.with();
    Map<String, String> outs = new LinkedHashMap<>();
    w.get("outputs")
        .filter(n -> n instanceof ConfigNode.Mapping)
        .ifPresent(n -> ((ConfigNode.Mapping) n).entries().forEach((k, v) -> outs.put(k, text(v))));
    return new Config(
        w.text("cmd").orElse(name),
        outs,
        w.text("fingerprint"),
        w.text("done").map(Boolean::parseBoolean).orElse(false),
        w.text("provision").map(Boolean::parseBoolean).orElse(false));
  }

  private static String text(ConfigNode n) {
    return n instanceof ConfigNode.Scalar s ? s.value() : n.toString();
  }

  @Override
  public Optional<StepResult> alreadyDone(Config config, StepContext ctx) {
    return config.done() ? Optional.of(StepResult.of(config.outputs())) : Optional.empty();
  }

  @Override
  public StepResult execute(Config config, StepContext ctx) throws Exception {
    Map<String, String> outs = new LinkedHashMap<>(config.outputs());
    var machine = config.provision() ? ctx.target().provision(ctx.log()) : ctx.target().machine();
    ExecResult r = machine.exec(CommandSpec.of(List.of(config.cmd()), ctx.env()), ctx.log());
    if (!r.ok()) {
      throw StepException.failure(
          "command " + config.cmd() + " exited " + r.exitCode(), "see the step log");
    }
    if (config.provision()) {
      outs.put("machine_id", machine.id());
    }
    return new StepResult(outs, config.fingerprint());
  }

  @Override
  public Optional<String> inputFingerprint(Config config, StepContext ctx) {
    return config.fingerprint();
  }
}
