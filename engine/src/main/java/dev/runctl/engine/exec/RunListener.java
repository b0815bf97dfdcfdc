package dev.runctl.engine.exec;

/**
 * Receives a run's events. Calls come from several threads but never at once (the executor
 * serializes them), in the order the events happened; a listener must return quickly.
 */
@FunctionalInterface
public interface RunListener {
  void onEvent(RunEvent event);

  RunListener NONE = e -> {};
}
