package dev.runctl.engine.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunLockTest {
  @TempDir Path dir;
  static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void aSecondHolderIsRefusedAndTheHolderNamed() throws Exception {
    RunFolder f = new RunFolder("r", dir);
    try (RunLock first = RunLock.acquire(f, T)) {
      assertThat(RunLock.isHeld(f)).isTrue();
      assertThatThrownBy(() -> RunLock.acquire(f, T))
          .isInstanceOf(RunLockedException.class)
          .hasMessageContaining("pid " + ProcessHandle.current().pid())
          .hasMessageContaining("run r is held");
    }
    assertThat(RunLock.isHeld(f)).isFalse();
    try (RunLock again = RunLock.acquire(f, T)) {
      assertThat(again.takenOverFrom()).isEmpty();
    }
  }

  @Test
  void theRecordOfADeadHolderIsTakenOverAndNamed() throws Exception {
    RunFolder f = new RunFolder("r", dir);
    Files.writeString(f.lock(), new LockHolder(999_999_999L, "elsewhere", T).encode());
    try (RunLock lock = RunLock.acquire(f, T)) {
      assertThat(lock.takenOverFrom())
          .hasValueSatisfying(h -> assertThat(h.describe()).contains("pid 999999999"));
      assertThat(RunLock.holder(f))
          .hasValueSatisfying(h -> assertThat(h.pid()).isEqualTo(ProcessHandle.current().pid()));
    }
  }

  @Test
  void creatingARunIdThatAnotherProcessIsCreatingAnswersWithItsLockNotExists() throws Exception {
    RunStore store = new RunStore(dir);
    String id = "job-20260101-000000-abcd";
    ActiveRun first = store.create(id, dir.resolve("job.yaml"), "x", T);
    try {
      assertThatThrownBy(() -> store.create(id, dir.resolve("job.yaml"), "x", T))
          .isInstanceOf(RunLockedException.class)
          .hasMessageContaining("pid " + ProcessHandle.current().pid());
    } finally {
      first.close();
    }
    assertThatThrownBy(() -> store.create(id, dir.resolve("job.yaml"), "x", T))
        .hasMessageContaining("run " + id + " exists already");
    assertThat(RunLock.isHeld(store.folder(id))).as("the refused create let go").isFalse();
  }

  @Test
  void runIdsReadJobStampAndHex() {
    RunStore store = new RunStore(dir);
    assertThat(store.newRunId("tiny-mlp", Instant.parse("2026-11-23T10:04:05Z")))
        .matches("tiny-mlp-20261123-100405-[0-9a-f]{4}");
    assertThatThrownBy(() -> store.folder("../etc")).hasMessageContaining("not a run id");
    assertThatThrownBy(() -> store.existing("nope-20260101-000000-0000"))
        .hasMessageContaining("no run 'nope-20260101-000000-0000'");
  }
}
