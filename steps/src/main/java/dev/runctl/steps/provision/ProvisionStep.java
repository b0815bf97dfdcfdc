package dev.runctl.steps.provision;

import dev.runctl.engine.spi.ConfigureContext;
import dev.runctl.engine.spi.Machine;
import dev.runctl.engine.spi.SettingsReader;
import dev.runctl.engine.spi.SettingsSchema;
import dev.runctl.engine.spi.StepConfig;
import dev.runctl.engine.spi.StepContext;
import dev.runctl.engine.spi.StepResult;
import dev.runctl.engine.spi.StepType;
import java.util.Map;
import java.util.Set;

/**
 * {@code uses: provision}: makes the target's machine exist and be reachable, or finds the one
 * already made for this run (the target records what it creates in the run's facts). Outputs what
 * the machine describes: {@code machine_id}, and {@code host}, {@code instance_id}, {@code
 * price_per_hour} where they apply.
 */
public final class ProvisionStep implements StepType<ProvisionStep.Config> {
  private static final SettingsSchema SETTINGS =
      SettingsSchema.of(
          """
        {
          "description": "provision has no settings of its own: the target says what to make.",
          "type": "object",
          "additionalProperties": false,
          "properties": {}
        }
          """);

  /** Provision has no settings of its own; the target's settings say what to make. */
  public record Config() implements StepConfig {
    @Override
    public Map<String, String> describe() {
      return Map.of();
    }
  }

  @Override
  public String name() {
    return "provision";
  }

  @Override
  public Set<String> outputs() {
    // instance_id, price_per_hour: aws; os, python, python_version, disk_free_gb, gpus: ssh
    return Set.of(
        "machine_id",
        "host",
        "instance_id",
        "price_per_hour",
        "workdir",
        "os",
        "python",
        "python_version",
        "disk_free_gb",
        "gpus");
  }

  @Override
  public int defaultMaxAttempts() {
    return 5;
  }

  @Override
  public boolean machineState() {
    return true;
  }

  /** The schema of {@code with:}, composed into the job schema. */
  @Override
  public SettingsSchema settings() {
    return SETTINGS;
  }

  @Override
  public Config configure(ConfigureContext ctx) {
    SettingsReader.of(ctx).onlyKeys(Set.of());
    return new Config();
  }

  @Override
  public StepResult execute(Config config, StepContext ctx) throws Exception {
    Machine machine = ctx.target().provision(ctx.log());
    Map<String, String> outputs = machine.describe();
    ctx.log().line("machine " + machine.id() + " is ready; workdir " + machine.workdir());
    return StepResult.of(outputs);
  }
}
