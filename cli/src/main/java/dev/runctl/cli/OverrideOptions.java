package dev.runctl.cli;

import dev.runctl.engine.spec.SpecOverride;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The {@code --env} and {@code --set} options, shared by {@code plan} and {@code apply} so that
 * plan checks and shows the spec exactly as apply would run it.
 */
final class OverrideOptions {
  @Option(
      names = "--env",
      paramLabel = "KEY=VALUE",
      description =
          "Set an environment variable of every step (as `env:` in the spec would); repeatable."
              + " Frozen into the run: resume uses the same value.")
  List<String> env = new ArrayList<>();

  @Option(
      names = "--set",
      paramLabel = "PATH=VALUE",
      description =
          "Override a value of the spec, read as YAML and checked like the file's (a step by its"
              + " id: steps.train.with.args='[\"--epochs\",\"3\"]'); repeatable. Frozen into the"
              + " run.")
  List<String> set = new ArrayList<>();

  /** The options of one invocation as QuickCommand binds them (each at most once). */
  static OverrideOptions of(QuickShapes.Args a) {
    OverrideOptions o = new OverrideOptions();
    o.env = a.option("--env").map(List::of).orElse(List.of());
    o.set = a.option("--set").map(List::of).orElse(List.of());
    return o;
  }

  /** The overrides, {@code --env} first; a usage error for an argument without '='. */
  List<SpecOverride> parse() {
    return FrozenOverrides.parse(env, set);
  }
}
