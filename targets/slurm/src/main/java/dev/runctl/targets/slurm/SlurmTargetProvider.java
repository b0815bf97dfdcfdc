package dev.runctl.targets.slurm;

import dev.runctl.engine.spi.Diagnostics;
import dev.runctl.engine.spi.SettingsSchema;
import dev.runctl.engine.spi.Target;
import dev.runctl.engine.spi.TargetConfig;
import dev.runctl.engine.spi.TargetContext;
import dev.runctl.engine.spi.TargetProvider;
import dev.runctl.engine.spi.TargetSettings;

/**
 * {@code provider: slurm}: an existing Slurm cluster, its commands run on this machine or on the
 * login node {@code login: {ssh:}} names.
 */
public final class SlurmTargetProvider implements TargetProvider {
  @Override
  public String name() {
    return "slurm";
  }

  @Override
  public SettingsSchema settings() {
    return SlurmSettingsSchema.SCHEMA;
  }

  @Override
  public TargetConfig configure(TargetSettings spec, Diagnostics diagnostics) {
    return new SettingsParser(diagnostics).parse(spec.settings());
  }

  @Override
  public java.util.List<dev.runctl.engine.spi.TargetCheck> check(
      TargetConfig config, String jobName) throws InterruptedException {
    SlurmSettings settings = (SlurmSettings) config;
    if (settings.login().isEmpty()) {
      return new SlurmChecks(new SlurmCommands(), settings).run();
    }
    try (dev.runctl.targets.ssh.SshLogin ssh =
        new dev.runctl.targets.ssh.SshLogin(settings.login().get(), notice -> {})) {
      return new SlurmChecks(new SshSlurmCommands(ssh), settings).run();
    }
  }

  @Override
  public Target open(TargetConfig config, TargetContext context) {
    return SlurmTarget.open((SlurmSettings) config, context);
  }
}
