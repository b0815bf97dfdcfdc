package dev.runctl.targets.ssh;

import dev.runctl.engine.spi.Durations;
import dev.runctl.engine.spi.StepException;
import java.time.Duration;

/**
 * Retries a call while the host cannot be reached: waits 1 s, 2 s, 4 s ... (at most 15 s) between
 * tries, for up to the target's {@code reconnect_timeout}; then the host counts as gone: an
 * interruption, which a retry with {@code on: [interruption]} answers.
 */
final class Reconnect {
  private Reconnect() {}

  interface Call<T> {
    T call() throws InterruptedException;
  }

  static <T> T retrying(SshClient ssh, String what, Call<T> call) throws InterruptedException {
    Duration limit = ssh.config().reconnectTimeout();
    long start = System.nanoTime();
    long waitMillis = 1000;
    int tries = 0;
    while (true) {
      try {
        T result = call.call();
        if (tries > 0) {
          ssh.notice("reconnected to " + ssh.config().host() + " after " + tries + " tries");
        }
        return result;
      } catch (SshErrors.Unreachable e) {
        Duration gone = Duration.ofNanos(System.nanoTime() - start);
        if (gone.compareTo(limit) >= 0) {
          throw StepException.interruption(
              ssh.config().host()
                  + " stayed unreachable for "
                  + Durations.format(gone)
                  + " (reconnect_timeout "
                  + Durations.format(limit)
                  + "): "
                  + e.getMessage(),
              "when the host is back, runctl resume reattaches to the training if it still runs;"
                  + " retry.on: [interruption] tries again by itself");
        }
        if (tries == 0) {
          ssh.notice(
              "lost the connection to "
                  + ssh.config().host()
                  + " ("
                  + what
                  + "): reconnecting for up to "
                  + Durations.format(limit)
                  + "; the training goes on there");
        }
        tries++;
        Thread.sleep(Math.min(waitMillis, Math.max(1, limit.toMillis() - gone.toMillis())));
        waitMillis = Math.min(waitMillis * 2, 15_000);
      }
    }
  }
}
