package dev.runctl.cli.contract;

import dev.runctl.engine.spi.Diagnostics;
import dev.runctl.engine.spi.SettingsReader;
import dev.runctl.engine.spi.SettingsSchema;
import dev.runctl.engine.spi.Target;
import dev.runctl.engine.spi.TargetConfig;
import dev.runctl.engine.spi.TargetContext;
import dev.runctl.engine.spi.TargetProvider;
import dev.runctl.engine.spi.TargetSettings;
import dev.runctl.targets.local.LocalTargetProvider;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A target provider that exists only in this test: it declares its settings like any provider,
 * keeps the configs it opened targets with, and runs on this machine.
 */
final class TestboxProvider implements TargetProvider {
  record Config(String flavour, int slots) implements TargetConfig {
    @Override
    public Map<String, String> describe() {
      return Map.of("provider", "testbox", "flavour", flavour, "slots", String.valueOf(slots));
    }
  }

  final List<Config> opened = new CopyOnWriteArrayList<>();
  private final LocalTargetProvider local = new LocalTargetProvider();

  @Override
  public String name() {
    return "testbox";
  }

  @Override
  public SettingsSchema settings() {
    return SettingsSchema.of(
            """
            {
              "description": "testbox: this machine under another name (settings-contract test).",
              "type": "object",
              "required": ["flavour"],
              "additionalProperties": false,
              "properties": {
                "flavour": {"description": "plain or fancy.", "enum": ["plain", "fancy"]},
                "slots": {"description": "At least 1.", "type": "integer", "minimum": 1}
              }
            }
            """)
        .whenMissing("flavour", "e.g. flavour: plain");
  }

  @Override
  public TargetConfig configure(TargetSettings spec, Diagnostics diagnostics) {
    SettingsReader read =
        new SettingsReader(spec.settings(), diagnostics, "the testbox target", spec.position())
            .onlyKeys(List.of("provider", "flavour", "slots"));
    return new Config(
        read.required("flavour", "e.g. flavour: plain"),
        read.integer("slots", 1, Integer.MAX_VALUE).orElse(1));
  }

  @Override
  public Target open(TargetConfig config, TargetContext context) {
    opened.add((Config) config);
    return local.open(config, context); // the local target reads nothing of its config
  }
}
