package dev.runctl.engine.spi;

import java.time.Duration;
import java.util.Optional;

/**
 * A long-running process that must outlive runctl (a training script). {@code name} identifies it
 * on the machine: a second start of a name whose process is alive is refused. {@code watchPath}
 * (relative to the workdir) is the folder whose changes count as progress and which the target
 * keeps safe across a machine replacement (aws persists it to the bucket and restores it before the
 * start). {@code timeLimit} is the step's timeout, for a target whose scheduler wants a limit up
 * front (slurm's {@code --time}); the engine enforces it either way.
 */
public record DetachedSpec(
    String name, CommandSpec command, Optional<String> watchPath, Optional<Duration> timeLimit) {

  public DetachedSpec(String name, CommandSpec command, Optional<String> watchPath) {
    this(name, command, watchPath, Optional.empty());
  }
}
