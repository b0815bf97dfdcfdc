package dev.runctl.cli;

import dev.runctl.engine.ErrorCategory;
import dev.runctl.engine.RunctlException;

/** {@code --parallelism N}: at least 1; by default the number of cores. */
final class Parallelism {
  private Parallelism() {}

  static int of(Integer given) {
    if (given == null) {
      return Runtime.getRuntime().availableProcessors();
    }
    if (given < 1) {
      throw new RunctlException(
          ErrorCategory.USAGE,
          "--parallelism must be at least 1, not " + given,
          "leave it out to run as many steps at once as there are cores");
    }
    return given;
  }
}
