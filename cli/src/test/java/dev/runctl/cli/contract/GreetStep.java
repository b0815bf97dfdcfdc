package dev.runctl.cli.contract;

import dev.runctl.engine.spi.ConfigureContext;
import dev.runctl.engine.spi.SettingsReader;
import dev.runctl.engine.spi.SettingsSchema;
import dev.runctl.engine.spi.StepConfig;
import dev.runctl.engine.spi.StepContext;
import dev.runctl.engine.spi.StepResult;
import dev.runctl.engine.spi.StepType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A step type that exists only in this test: it declares its settings like any step type, and keeps
 * the configs it was executed with, so that a test can see what reached it.
 */
final class GreetStep implements StepType<GreetStep.Config> {
  record Config(String greeting, int times, Optional<Duration> pause) implements StepConfig {
    @Override
    public Map<String, String> describe() {
      return Map.of("greeting", greeting, "times", String.valueOf(times));
    }
  }

  final List<Config> executed = new CopyOnWriteArrayList<>();

  @Override
  public String name() {
    return "greet";
  }

  @Override
  public Set<String> outputs() {
    return Set.of("message");
  }

  @Override
  public SettingsSchema settings() {
    return SettingsSchema.of(
            """
            {
              "description": "greet: says hello (a step type of the settings-contract test).",
              "type": "object",
              "required": ["greeting"],
              "additionalProperties": false,
              "properties": {
                "greeting": {
                  "description": "What to say; starts with a capital letter.",
                  "type": "string",
                  "pattern": "^[A-Z]"
                },
                "times": {
                  "description": "How often, 1 to 3.",
                  "type": "integer",
                  "minimum": 1,
                  "maximum": 3
                },
                "pause": {"$ref": "#/$defs/duration", "description": "A wait between greetings."}
              }
            }
            """)
        .requiredMapping()
        .whenMissing("greeting", "e.g. greeting: Hello")
        .whenMalformed(
            "greeting", "greeting '%s' does not start with a capital letter", "e.g. Hello");
  }

  @Override
  public Config configure(ConfigureContext ctx) {
    SettingsReader with = SettingsReader.of(ctx).onlyKeys(Set.of("greeting", "times", "pause"));
    return new Config(
        with.required("greeting", "e.g. greeting: Hello"),
        with.integer("times", 1, 3).orElse(1),
        with.duration("pause"));
  }

  @Override
  public StepResult execute(Config config, StepContext ctx) {
    executed.add(config);
    return StepResult.of(Map.of("message", String.join(" ", nCopies(config))));
  }

  private static List<String> nCopies(Config config) {
    return java.util.Collections.nCopies(config.times(), config.greeting());
  }
}
