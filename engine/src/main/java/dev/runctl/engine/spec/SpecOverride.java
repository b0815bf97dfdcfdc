package dev.runctl.engine.spec;

/**
 * A value given at the command line in place of one in the spec: {@code --set PATH=VALUE} (the
 * value read as YAML, so {@code '["--epochs","3"]'} is a list) or {@code --env KEY=VALUE} (the
 * value a string, set at {@code env.KEY}). The path's parts are mapping keys, a step's id under
 * {@code steps}, or a list index. Diagnostics about an overridden value name the override.
 */
public record SpecOverride(Kind kind, String path, String value) {
  /** How the value is read. */
  public enum Kind {
    SET,
    ENV
  }

  public static SpecOverride set(String path, String value) {
    return new SpecOverride(Kind.SET, path, value);
  }

  public static SpecOverride env(String key, String value) {
    return new SpecOverride(Kind.ENV, "env." + key, value);
  }

  /** How diagnostics name it: {@code --set steps.train.with.args} or {@code --env KEY}. */
  public String label() {
    return kind == Kind.ENV ? "--env " + path.substring("env.".length()) : "--set " + path;
  }
}
