package dev.runctl.engine.spec;

/** The keys of {@code state:} that are the engine's; the backend owns the others. */
final class StateKeys {
  static final String BACKEND = "backend";
  static final String LEASE = "lease";

  private StateKeys() {}
}
