package dev.runctl.engine.exec;

import dev.runctl.engine.ErrorCategory;
import dev.runctl.engine.RunctlException;
import dev.runctl.engine.spi.SecretRef;

/**
 * Reads one secret's value where the run starts (the CLI reads through the registered {@code
 * SecretSource}s). The value lives in memory only: the executor hands it to steps as an environment
 * variable and masks it in all it writes.
 */
@FunctionalInterface
public interface SecretReader {
  /** Reads nothing: a spec that has secrets cannot run. */
  SecretReader NONE =
      ref -> {
        throw new RunctlException(
            ErrorCategory.ENVIRONMENT,
            "secret " + ref.describe() + " cannot be read: this runctl reads no secrets",
            "run it with the runctl command line, which reads them");
      };

  String read(SecretRef ref);
}
