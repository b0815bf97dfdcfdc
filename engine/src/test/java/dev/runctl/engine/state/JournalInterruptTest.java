package dev.runctl.engine.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.channels.ClosedByInterruptException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A cancel interrupts a step's thread, which may be writing the journal at that moment. */
class JournalInterruptTest {
  @TempDir Path dir;
  static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

  @AfterEach
  void clearInterrupt() {
    Thread.interrupted();
  }

  private static JournalRecord ended(String step) {
    return new JournalRecord.StepEnded(T, step, StepStatus.CANCELLED, 1, Optional.empty(), "");
  }

  @Test
  void anInterruptedThreadWritesItsRecordsAndKeepsItsInterrupt() throws Exception {
    Path file = dir.resolve("journal.jsonl");
    try (Journal j = Journal.open(file, r -> {})) {
      j.appendLazily(new JournalRecord.AttemptStarted(T, "a", 1));
      Thread.currentThread().interrupt();
      j.append(ended("a"));
      j.appendDurably(new JournalRecord.Warning(T, Optional.empty(), "stopped"));
      assertThat(Thread.interrupted()).isTrue();
      j.appendDurably(ended("b")); // the journal is still open for the run's end
    }
    assertThat(JournalLoader.load(file, false).records()).hasSize(4);
  }

  @Test
  void interruptsWhileAThreadKeepsAppendingBreakNothing() throws Exception {
    Path file = dir.resolve("journal.jsonl");
    int n = 300;
    AtomicReference<Throwable> error = new AtomicReference<>();
    AtomicBoolean done = new AtomicBoolean();
    try (Journal j = Journal.open(file, r -> {})) {
      Thread appender =
          new Thread(
              () -> {
                try {
                  for (int i = 0; i < n; i++) {
                    j.append(ended("s" + i));
                  }
                } catch (Throwable e) {
                  error.set(e);
                } finally {
                  done.set(true);
                }
              });
      appender.start();
      while (!done.get()) {
        appender.interrupt();
        Thread.onSpinWait();
      }
      appender.join();
    }
    assertThat(error.get()).isNull();
    assertThat(JournalLoader.load(file, false).records()).hasSize(n);
  }

  @Test
  void anInterruptedCloserStillLetsTheQueuedRecordsReachTheFile() throws Exception {
    for (int i = 0; i < 50; i++) { // the writer may or may not be quicker than the closer
      Path file = dir.resolve("journal-" + i + ".jsonl");
      Journal j = Journal.open(file, r -> {});
      for (int k = 0; k < 20; k++) {
        j.appendLazily(new JournalRecord.AttemptStarted(T, "a", k));
      }
      Thread.currentThread().interrupt();
      j.close();
      assertThat(Thread.interrupted()).isTrue();
      assertThat(JournalLoader.load(file, false).records()).hasSize(20);
    }
  }

  @Test
  void anIoErrorWithoutMessageIsNamedByItsType() {
    assertThat(Journal.reason(new ClosedByInterruptException()))
        .isEqualTo("ClosedByInterruptException");
    assertThat(Journal.reason(new java.io.IOException("No space left on device")))
        .isEqualTo("No space left on device");
  }
}
