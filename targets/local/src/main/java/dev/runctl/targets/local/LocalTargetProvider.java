package dev.runctl.targets.local;

import dev.runctl.engine.spi.Diagnostics;
import dev.runctl.engine.spi.SettingsSchema;
import dev.runctl.engine.spi.Target;
import dev.runctl.engine.spi.TargetCheck;
import dev.runctl.engine.spi.TargetConfig;
import dev.runctl.engine.spi.TargetContext;
import dev.runctl.engine.spi.TargetProvider;
import dev.runctl.engine.spi.TargetSettings;
import java.nio.file.Path;
import java.util.List;

/** {@code provider: local}: this computer, the embedded default. */
public final class LocalTargetProvider implements TargetProvider {
  private static final String NO_SETTING = "the local target has no setting '%s'";
  private static final String NO_SETTING_HINT =
      "remove it; the local target takes only 'provider: local' (aws settings need 'provider:"
          + " aws')";
  private static final SettingsSchema SETTINGS =
      SettingsSchema.of(
              """
              {
                "description": "local: this machine, the default. It takes no settings.",
                "type": "object",
                "additionalProperties": false,
                "properties": {}
              }
              """)
          .whenBroken("additionalProperties", NO_SETTING, NO_SETTING_HINT);

  private final ProcessRunner runner;

  public LocalTargetProvider() {
    this(ProcessRunner.system());
  }

  public LocalTargetProvider(ProcessRunner runner) {
    this.runner = runner;
  }

  @Override
  public String name() {
    return "local";
  }

  @Override
  public SettingsSchema settings() {
    return SETTINGS;
  }

  @Override
  public TargetConfig configure(TargetSettings spec, Diagnostics diagnostics) {
    spec.settings()
        .keys()
        .forEach(
            (key, at) -> {
              if (!key.equals("provider")) {
                diagnostics.error(at, String.format(NO_SETTING, key), NO_SETTING_HINT);
              }
            });
    return new LocalTargetConfig();
  }

  /** This computer: a sweep's children share its cores. */
  @Override
  public boolean runsOnThisMachine() {
    return true;
  }

  /** python3 answers, and the current folder's disk has room. */
  @Override
  public List<TargetCheck> check(TargetConfig config, String jobName) throws InterruptedException {
    return LocalChecks.run(Path.of(""));
  }

  @Override
  public Target open(TargetConfig config, TargetContext context) {
    runner.prestart(); // the spawn helper starts while the run gets ready
    return new LocalTarget(context, runner);
  }
}
