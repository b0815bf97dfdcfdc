package dev.runctl.cli;

import dev.runctl.engine.spi.TargetProvider;

/**
 * How many children of a sweep run at once and how many steps each runs at once. On a target that
 * {@linkplain TargetProvider#runsOnThisMachine runs on this machine} the children share its cores:
 * at most {@code parallelism} of them at once, dividing it among them. Elsewhere each child has a
 * machine of its own: {@code max_parallel} at once, each with the whole {@code parallelism}.
 */
record SweepLimits(int atOnce, int stepsEach) {
  static SweepLimits of(TargetProvider target, int maxParallel, int parallelism) {
    if (!target.runsOnThisMachine()) {
      return new SweepLimits(maxParallel, parallelism);
    }
    int atOnce = Math.min(maxParallel, parallelism);
    return new SweepLimits(atOnce, Math.max(1, parallelism / atOnce));
  }
}
