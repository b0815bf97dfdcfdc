package dev.runctl.cli;

import dev.runctl.engine.exec.RunControl;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Ctrl+C (SIGINT), SIGTERM and SIGHUP (the terminal closed) become cancel requests of the live run
 * instead of killing the JVM: the first stops the run gracefully (running steps stopped, {@code
 * always} steps run, the end journaled, exit 130), a second also skips the grace period that
 * stopped commands get. A signal ignored when runctl started (SIGHUP under {@code nohup}) stays
 * ignored: the JVM answers {@code SIG_IGN} and installs nothing. The previous handlers come back on
 * {@link #close}.
 */
final class InterruptSignals implements AutoCloseable {
  private static final java.util.Map<String, String> WHY =
      java.util.Map.of("INT", " (Ctrl+C)", "HUP", " (the terminal closed)");
  private final List<Signal> signals = new ArrayList<>();
  private final List<SignalHandler> previous = new ArrayList<>();

  InterruptSignals(RunControl control, Consumer<String> note) {
    this(control::cancel, note);
  }

  /** {@code cancel} is told why and answers how many times it was told (a sweep's children). */
  InterruptSignals(java.util.function.ToIntFunction<String> cancel, Consumer<String> note) {
    for (String name : List.of("INT", "TERM", "HUP")) {
      Signal s = new Signal(name);
      SignalHandler h =
          sig -> {
            int n = cancel.applyAsInt("cancelled by SIG" + name + WHY.getOrDefault(name, ""));
            note.accept(
                n == 1
                    ? "stopping: running steps are being stopped and `always` steps will run;"
                        + " press Ctrl+C again to stop commands without their grace period"
                    : "stopping now, without grace periods; the state is still being recorded");
          };
      try {
        previous.add(Signal.handle(s, h));
        signals.add(s);
      } catch (IllegalArgumentException e) {
        // the signal is not available on this platform (or reserved by the JVM): leave it
      }
    }
  }

  @Override
  public void close() {
    for (int i = 0; i < signals.size(); i++) {
      Signal.handle(signals.get(i), previous.get(i));
    }
  }
}
