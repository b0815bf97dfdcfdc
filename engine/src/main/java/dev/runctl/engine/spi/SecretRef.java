package dev.runctl.engine.spi;

import java.nio.file.Path;
import java.util.Map;

/**
 * One entry of the spec's {@code secrets:}: the variable {@code name} steps see, the {@code source}
 * that holds it, the source's settings as text (its own key included), and the spec's folder,
 * against which relative paths resolve. Holds no value.
 */
public record SecretRef(
    String name, String source, Map<String, String> settings, Path specDir, Position position) {
  public SecretRef {
    settings = Map.copyOf(settings);
  }

  /** The setting named as the source, e.g. the variable of {@code {env: NAME}}. */
  public String locator() {
    return settings.getOrDefault(source, "");
  }

  /** What the secret is, for messages: "HF_TOKEN (env: MY_TOKEN)". */
  public String describe() {
    return name + " (" + source + ": " + locator() + ")";
  }
}
