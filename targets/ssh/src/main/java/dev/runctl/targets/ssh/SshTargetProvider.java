package dev.runctl.targets.ssh;

import dev.runctl.engine.spi.Diagnostics;
import dev.runctl.engine.spi.SettingsSchema;
import dev.runctl.engine.spi.Target;
import dev.runctl.engine.spi.TargetCheck;
import dev.runctl.engine.spi.TargetConfig;
import dev.runctl.engine.spi.TargetContext;
import dev.runctl.engine.spi.TargetProvider;
import dev.runctl.engine.spi.TargetSettings;
import java.util.List;

/**
 * {@code provider: ssh}: a machine the user can ssh into (a workstation, a lab box, a GPU cloud's
 * pod), reached with the OpenSSH client and the user's own ssh set-up. Configure makes no
 * connection.
 */
public final class SshTargetProvider implements TargetProvider {

  @Override
  public String name() {
    return "ssh";
  }

  @Override
  public SettingsSchema settings() {
    return SshSettings.SCHEMA;
  }

  @Override
  public TargetConfig configure(TargetSettings spec, Diagnostics diagnostics) {
    return new SshSettings(diagnostics).read(spec);
  }

  @Override
  public Target open(TargetConfig config, TargetContext context) {
    if (!(config instanceof SshConfig ssh)) {
      throw new IllegalArgumentException("not an ssh target config: " + config);
    }
    return new SshTarget(ssh, context);
  }

  @Override
  public List<TargetCheck> check(TargetConfig config, String jobName) throws InterruptedException {
    return SshChecks.run((SshConfig) config, jobName);
  }
}
