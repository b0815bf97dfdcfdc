package dev.runctl.engine.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotterTest {
  @TempDir Path dir;
  static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void theSnapshotIsWrittenAtMostOncePerIntervalNotPerTransition() throws Exception {
    RunFolder f = new RunFolder("r", dir);
    Snapshotter s = new Snapshotter(f, Duration.ofSeconds(5), List.of(), T);
    s.onDurable(
        new JournalRecord.RunStarted(T, "r", "job", "job.yaml", 1, "h", 0, List.of("a", "b")));
    s.writeIfDue(T.plusSeconds(1));
    assertThat(f.snapshot())
        .as("not at the start: the first is due one interval on")
        .doesNotExist();
    s.writeIfDue(T.plusSeconds(5));
    String first = Files.readString(f.snapshot());
    for (int i = 0; i < 100; i++) {
      s.onDurable(new JournalRecord.AttemptStarted(T, "a", i + 1));
      s.writeIfDue(T.plusSeconds(5).plusMillis(10L * i));
    }
    assertThat(Files.readString(f.snapshot())).isEqualTo(first);
    s.writeIfDue(T.plusSeconds(11));
    assertThat(Files.readString(f.snapshot())).isNotEqualTo(first).contains("\"attempts\" : 100");
    String second = Files.readString(f.snapshot());
    s.writeIfDue(T.plusSeconds(25));
    assertThat(Files.readString(f.snapshot())).as("nothing changed: no write").isEqualTo(second);
  }

  @Test
  void aStaleSnapshotIsIgnoredAndTheJournalReplayed() throws Exception {
    RunStore store = new RunStore(dir);
    ActiveRun run = store.create("job-20260101-000000-abcd", dir.resolve("job.yaml"), "x", T);
    run.journal()
        .appendDurably(
            new JournalRecord.RunStarted(
                T, run.runId(), "job", "job.yaml", 1, "h", 0, List.of("a")));
    run.close(T);
    RunFolder f = store.existing(run.runId());
    try (Journal j = Journal.open(f.journal(), r -> {})) {
      j.appendDurably(
          new JournalRecord.StepEnded(T, "a", StepStatus.FAILED, 1, Optional.empty(), "boom"));
    }
    RunState s = Snapshotter.read(f);
    assertThat(s.step("a").orElseThrow().status()).isEqualTo(StepStatus.FAILED);
    assertThat(s.step("a").orElseThrow().message()).isEqualTo("boom");
  }
}
