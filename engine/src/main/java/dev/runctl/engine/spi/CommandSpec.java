package dev.runctl.engine.spi;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A command for a machine: an argv list (each element reaches the program as one argument), extra
 * environment, and the working folder relative to the machine's workdir (empty: the workdir
 * itself). There is no command string: where a shell is wanted, argv is {@code ["sh", "-c",
 * script]}.
 */
public record CommandSpec(List<String> argv, Map<String, String> env, Optional<String> cwd) {
  public CommandSpec {
    if (argv.isEmpty()) {
      throw new IllegalArgumentException("argv must not be empty");
    }
    argv = List.copyOf(argv);
    env = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(env));
  }

  public static CommandSpec of(List<String> argv, Map<String, String> env) {
    return new CommandSpec(argv, env, Optional.empty());
  }
}
