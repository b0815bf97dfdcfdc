package dev.runctl.engine.spi;

/** Whether a machine is still there. */
public enum Health {
  ALIVE,
  /** Taken away by the provider (a spot reclaim) or stopped under us. */
  INTERRUPTED,
  /** It no longer exists. */
  GONE
}
