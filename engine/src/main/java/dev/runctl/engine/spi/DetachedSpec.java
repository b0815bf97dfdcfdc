package dev.runctl.engine.spi;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A long-running process that must outlive runctl (a training script). {@code name} identifies it
 * on the machine: a second start of a name whose process is alive is refused. {@code watchPath}
 * (relative to the workdir) is the folder whose changes count as progress and which the target
 * keeps safe across a machine replacement (aws persists it to the bucket and restores it before the
 * start). {@code secrets}: values the target masks in the process's output wherever it keeps it
 * (see {@link StepContext#secrets}); they reach the machine outside argv. {@code timeLimit} is the
 * step's timeout, for a target whose scheduler wants a limit up front (slurm's {@code --time}); the
 * engine enforces it either way.
 */
public record DetachedSpec(
    String name,
    CommandSpec command,
    Optional<String> watchPath,
    List<String> secrets,
    Optional<Duration> timeLimit) {
  public DetachedSpec {
    secrets = List.copyOf(secrets);
  }

  public DetachedSpec(
      String name, CommandSpec command, Optional<String> watchPath, List<String> secrets) {
    this(name, command, watchPath, secrets, Optional.empty());
  }

  public DetachedSpec(String name, CommandSpec command, Optional<String> watchPath) {
    this(name, command, watchPath, List.of(), Optional.empty());
  }
}
