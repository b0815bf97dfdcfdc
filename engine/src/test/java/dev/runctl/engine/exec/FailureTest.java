package dev.runctl.engine.exec;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.channels.ClosedByInterruptException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FailureTest {
  @Test
  void anIoErrorWithoutMessageIsNamedByItsTypeAndRetried() {
    // what a channel throws at the thread that a cancel interrupted: it has no message
    Failure f = Failure.of(new ClosedByInterruptException(), "s", "run", Optional.empty());
    assertThat(f.message()).isEqualTo("I/O error: ClosedByInterruptException");
    assertThat(f.retryable()).isTrue();
  }
}
