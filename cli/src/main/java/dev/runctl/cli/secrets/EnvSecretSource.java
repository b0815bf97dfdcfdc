package dev.runctl.cli.secrets;

import dev.runctl.engine.ErrorCategory;
import dev.runctl.engine.RunctlException;
import dev.runctl.engine.spi.SecretRef;
import dev.runctl.engine.spi.SecretSource;
import dev.runctl.engine.spi.SettingsSchema;
import java.util.Map;

/** {@code NAME: {env: VARIABLE}}: the value of an environment variable of runctl's own. */
public final class EnvSecretSource implements SecretSource {
  public static final SettingsSchema SCHEMA =
      SettingsSchema.of(
              """
              {
                "description": "A variable of the environment runctl runs in.",
                "type": "object",
                "required": ["env"],
                "additionalProperties": false,
                "properties": {
                  "env": {"description": "The variable's name.", "$ref": "#/$defs/envName"}
                }
              }
              """)
          .whenMalformed("env", "'%s' is not a variable name", "e.g. env: HF_TOKEN");

  private final Map<String, String> environment;

  public EnvSecretSource(Map<String, String> environment) {
    this.environment = Map.copyOf(environment);
  }

  @Override
  public String name() {
    return "env";
  }

  @Override
  public SettingsSchema settings() {
    return SCHEMA;
  }

  @Override
  public String read(SecretRef ref) {
    String value = environment.get(ref.locator());
    if (value == null || value.isEmpty()) {
      throw new RunctlException(
          ErrorCategory.ENVIRONMENT,
          "secret " + ref.describe() + ": the variable " + ref.locator() + " is not set",
          "set it in the shell that starts runctl: export " + ref.locator() + "=...");
    }
    return value;
  }
}
