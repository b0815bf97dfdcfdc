package dev.runctl.cli;

import dev.runctl.engine.spi.Diagnostics;
import dev.runctl.engine.spi.Liveness;
import dev.runctl.engine.spi.SettingsSchema;
import dev.runctl.engine.spi.Target;
import dev.runctl.engine.spi.TargetCheck;
import dev.runctl.engine.spi.TargetConfig;
import dev.runctl.engine.spi.TargetContext;
import dev.runctl.engine.spi.TargetProvider;
import dev.runctl.engine.spi.TargetRun;
import dev.runctl.engine.spi.TargetSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A target provider whose class (and what it loads, such as the AWS SDK) is created only when a
 * spec names it, keeping start-up lean for specs that do not.
 */
final class LazyTargetProvider implements TargetProvider {
  private final String name;
  private final SettingsSchema settings;
  private final Supplier<TargetProvider> factory;
  private TargetProvider delegate;

  /** {@code settings} as the provider declares them, given here so as not to create it. */
  LazyTargetProvider(String name, SettingsSchema settings, Supplier<TargetProvider> factory) {
    this.name = name;
    this.settings = settings;
    this.factory = factory;
  }

  @Override
  public SettingsSchema settings() {
    return settings;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public TargetConfig configure(TargetSettings spec, Diagnostics diagnostics) {
    return delegate().configure(spec, diagnostics);
  }

  @Override
  public boolean fetchesOnMachine(dev.runctl.engine.spi.SecretRef ref) {
    return delegate().fetchesOnMachine(ref);
  }

  @Override
  public List<TargetCheck> checkSecrets(
      TargetConfig config, List<dev.runctl.engine.spi.SecretRef> fetched)
      throws InterruptedException {
    return delegate().checkSecrets(config, fetched);
  }

  @Override
  public boolean runsOnThisMachine() {
    return delegate().runsOnThisMachine();
  }

  @Override
  public Target open(TargetConfig config, TargetContext context) {
    return delegate().open(config, context);
  }

  @Override
  public List<TargetCheck> check(TargetConfig config, String jobName) throws InterruptedException {
    return delegate().check(config, jobName);
  }

  @Override
  public Map<String, Liveness> liveResources(List<TargetRun> runs, Duration timeout)
      throws InterruptedException {
    return delegate().liveResources(runs, timeout);
  }

  private synchronized TargetProvider delegate() {
    if (delegate == null) {
      delegate = factory.get();
      if (!delegate.name().equals(name)) {
        throw new IllegalStateException(
            "provider registered as '" + name + "' calls itself '" + delegate.name() + "'");
      }
    }
    return delegate;
  }
}
