package dev.runctl.engine.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TargetContextTest {
  private static TargetContext.Builder required() {
    return TargetContext.builder()
        .runId("r1")
        .jobName("job")
        .runDir(Path.of("run"))
        .localWorkdir(Path.of("work"))
        .cacheDir(Path.of("cache"))
        .facts(new MemoryFacts())
        .warnings(w -> {})
        .clock(RunClock.SYSTEM);
  }

  @Test
  void aContextLeftWithoutBudgetOrSecretsHasNone() {
    TargetContext c = required().build();
    assertThat(c.maxDuration()).isEmpty();
    assertThat(c.secrets()).isSameAs(RunSecrets.NONE);
    assertThat(required().maxDuration(Optional.of(Duration.ofHours(2))).build().maxDuration())
        .contains(Duration.ofHours(2));
  }

  @Test
  void aMissingRequiredFieldIsNamed() {
    assertThatThrownBy(() -> required().cacheDir(null).build())
        .isInstanceOf(NullPointerException.class)
        .hasMessage("cacheDir");
  }
}
