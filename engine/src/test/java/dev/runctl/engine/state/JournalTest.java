package dev.runctl.engine.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runctl.engine.RunctlException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalTest {
  @TempDir Path dir;
  static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void everyRecordTypeRoundTrips() {
    List<JournalRecord> records =
        List.of(
            new JournalRecord.RunStarted(T, "r-1", "job", "/x/job.yaml", 42, "h", 0, List.of("a")),
            new JournalRecord.AttemptStarted(T, "a", 1),
            new JournalRecord.FactRecorded(T, "k", "v \"quoted\"\nline"),
            new JournalRecord.OutputRecorded(T, "a", 1, "out", "1"),
            new JournalRecord.AttemptEnded(
                T, "a", 1, AttemptOutcome.FAILED, Optional.of("error"), "boom"),
            new JournalRecord.StepEnded(T, "a", StepStatus.SUCCEEDED, 2, Optional.of("fp"), ""),
            new JournalRecord.StepsReset(T, List.of("a", "b"), "changed"),
            new JournalRecord.Warning(T, Optional.of("a"), "careful"),
            new JournalRecord.RunEnded(
                T, RunStatus.FAILED, "step 'a' failed", Optional.of("1.20")));
    for (JournalRecord r : records) {
      String line = JournalCodec.encode(r);
      assertThat(line).doesNotContain("\n").startsWith("{\"type\":");
      assertThat(JournalCodec.decode(line)).isEqualTo(r);
    }
  }

  /** Every string of every record type holds control characters, quotes and non-ASCII text. */
  @Test
  void everyRecordTypeRoundTripsWithEscapesInEveryString() {
    String v = "b\bf\fn\u0000\u001f \"q\" \\ caf\u00e9 \u2028 \ud83d\ude80 \u007f\r\n\t";
    List<JournalRecord> records =
        List.of(
            new JournalRecord.RunStarted(T, v, v, v, Long.MAX_VALUE, v, 3, List.of(v, "", v)),
            new JournalRecord.AttemptStarted(T, v, Integer.MAX_VALUE),
            new JournalRecord.FactRecorded(T, v, v),
            new JournalRecord.OutputRecorded(T, v, 2, v, v),
            new JournalRecord.AttemptEnded(T, v, 1, AttemptOutcome.CANCELLED, Optional.of(v), v),
            new JournalRecord.AttemptEnded(T, v, 1, AttemptOutcome.FAILED, Optional.empty(), v),
            new JournalRecord.StepEnded(T, v, StepStatus.FAILED, 2, Optional.of(v), v),
            new JournalRecord.StepEnded(T, v, StepStatus.SKIPPED, 0, Optional.empty(), v),
            new JournalRecord.StepsReset(T, List.of(v), v),
            new JournalRecord.StepsReset(T, List.of(), v),
            new JournalRecord.Warning(T, Optional.of(v), v),
            new JournalRecord.Warning(T, Optional.empty(), v),
            new JournalRecord.RunEnded(T, RunStatus.CANCELLED, v, Optional.of(v)),
            new JournalRecord.RunEnded(T, RunStatus.SUCCEEDED, v, Optional.empty()));
    for (JournalRecord r : records) {
      String line = JournalCodec.encode(r);
      assertThat(line).doesNotContain("\n", "\r", "\b", "\f", "\u0000");
      assertThat(JournalCodec.decode(line)).as(line).isEqualTo(r);
    }
  }

  @Test
  void valuesAreEscapedExactlyAsAJsonGeneratorEscapesThem() {
    StringBuilder every = new StringBuilder();
    for (char c = 0; c < 0x80; c++) {
      every.append(c);
    }
    List<String> values =
        List.of(
            every.toString(),
            "caf\u00e9 \u2028 \ud83d\ude80 \\\" \u007f",
            "",
            "C:\\path\\to\\file \"quoted\"",
            "lone \ud800 surrogate");
    for (String v : values) {
      java.io.StringWriter expected = new java.io.StringWriter();
      try (tools.jackson.core.JsonGenerator g =
          tools.jackson.core.json.JsonFactory.builder().build().createGenerator(expected)) {
        g.writeStartObject();
        g.writeStringProperty("type", "steps_reset");
        g.writeStringProperty("at", "2026-01-01T00:00:00Z");
        g.writeArrayPropertyStart("steps");
        g.writeString(v);
        g.writeString("b");
        g.writeEndArray();
        g.writeStringProperty("reason", v);
        g.writeEndObject();
      }
      String line = JournalCodec.encode(new JournalRecord.StepsReset(T, List.of(v, "b"), v));
      assertThat(line).isEqualTo(expected.toString());
    }
    JournalRecord r = new JournalRecord.FactRecorded(T, "k", every.toString());
    assertThat(JournalCodec.decode(JournalCodec.encode(r))).isEqualTo(r);
  }

  @Test
  void concurrentAppendsAreGroupCommittedAndAllDurable() throws Exception {
    Path file = dir.resolve("journal.jsonl");
    AtomicInteger seen = new AtomicInteger();
    List<Thread> threads = new ArrayList<>();
    try (Journal j = Journal.open(file, r -> seen.incrementAndGet())) {
      for (int t = 0; t < 8; t++) {
        int n = t;
        threads.add(
            new Thread(
                () -> {
                  List<CompletableFuture<Void>> fs = new ArrayList<>();
                  for (int i = 0; i < 200; i++) {
                    fs.add(j.append(new JournalRecord.AttemptStarted(T, "s" + n, i)));
                  }
                  fs.forEach(Journal::await);
                }));
      }
      threads.forEach(Thread::start);
      for (Thread t : threads) {
        t.join();
      }
      assertThat(seen.get()).isEqualTo(1600);
    }
    assertThat(JournalLoader.load(file, false).records()).hasSize(1600);
  }

  @Test
  void anUrgentRecordIsWrittenAtOnceAndSyncedWithTheNextDurableOne() throws Exception {
    Path file = dir.resolve("journal.jsonl");
    try (Journal j = Journal.open(file, r -> {}, java.time.Duration.ofSeconds(30))) {
      j.appendDurably(new JournalRecord.AttemptStarted(T, "a", 1));
      assertThat(j.syncs()).isEqualTo(1);
      CompletableFuture<Void> ended =
          j.append(
              new JournalRecord.StepEnded(T, "a", StepStatus.SUCCEEDED, 1, Optional.empty(), ""));
      long deadline = System.nanoTime() + 5_000_000_000L;
      while (!Files.readString(file).contains("step_ended") && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      // on disk for any reader (and safe from a crash of runctl), not yet synced: the interval
      // since the last fsync has not passed
      assertThat(Files.readString(file)).contains("step_ended");
      assertThat(ended).isNotDone();
      long before = System.nanoTime();
      j.appendDurably(new JournalRecord.FactRecorded(T, "machine", "m-1"));
      assertThat(System.nanoTime() - before).isLessThan(5_000_000_000L);
      assertThat(ended).isDone();
      assertThat(j.syncs()).isEqualTo(2);
    }
    assertThat(JournalLoader.load(file, false).records()).hasSize(3);
  }

  @Test
  void aBurstOfStepEndsSharesAFewSyncs() throws Exception {
    Path file = dir.resolve("journal.jsonl");
    List<CompletableFuture<Void>> fs = new ArrayList<>();
    long syncs;
    try (Journal j = Journal.open(file, r -> {}, java.time.Duration.ofMillis(200))) {
      for (int i = 0; i < 300; i++) {
        fs.add(
            j.append(
                new JournalRecord.StepEnded(
                    T, "s" + i, StepStatus.SUCCEEDED, 1, Optional.empty(), "")));
      }
      fs.forEach(Journal::await);
      syncs = j.syncs();
    }
    assertThat(syncs).isBetween(1L, 10L);
    assertThat(JournalLoader.load(file, false).records()).hasSize(300);
  }

  @Test
  void aFullDiskFailsTheAppendAndEveryOneAfterItWithTheFix() {
    Path full = Path.of("/dev/full");
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isWritable(full), "needs Linux's /dev/full");
    try (Journal j = Journal.open(full, r -> {})) {
      CompletableFuture<Void> lazy = j.appendLazily(new JournalRecord.AttemptStarted(T, "a", 1));
      assertThatThrownBy(
              () ->
                  j.append(
                      new JournalRecord.StepEnded(
                          T, "a", StepStatus.SUCCEEDED, 1, Optional.empty(), "")))
          .isInstanceOf(RunctlException.class)
          .hasMessageContaining("cannot write the journal /dev/full")
          .satisfies(
              e ->
                  assertThat(((RunctlException) e).hint())
                      .hasValueSatisfying(h -> assertThat(h).contains("runctl resume")));
      assertThat(lazy).isCompletedExceptionally();
      assertThatThrownBy(() -> j.appendDurably(new JournalRecord.AttemptStarted(T, "b", 1)))
          .isInstanceOf(RunctlException.class)
          .hasMessageContaining("cannot write the journal");
    }
  }

  @Test
  void lazyRecordsRideAlongWithTheNextUrgentOneOrGoToDiskSoonAnyway() throws Exception {
    Path file = dir.resolve("journal.jsonl");
    List<JournalRecord> durable = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (Journal j = Journal.open(file, durable::add)) {
      CompletableFuture<Void> lazy = j.appendLazily(new JournalRecord.AttemptStarted(T, "a", 1));
      j.appendDurably(
          new JournalRecord.StepEnded(T, "a", StepStatus.SUCCEEDED, 1, Optional.empty(), ""));
      assertThat(lazy).isDone();
      assertThat(durable).hasSize(2);
      CompletableFuture<Void> alone = j.appendLazily(new JournalRecord.AttemptStarted(T, "b", 1));
      alone.get(5, java.util.concurrent.TimeUnit.SECONDS);
    }
    assertThat(JournalLoader.load(file, false).records()).hasSize(3);
  }

  @Test
  void aLazyRecordAppendedWhileTheWriterWaitsToSyncStillGoesToDiskByItself() throws Exception {
    Path file = dir.resolve("journal.jsonl");
    List<JournalRecord> durable = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (Journal j = Journal.open(file, durable::add, java.time.Duration.ofMillis(100))) {
      // the first urgent record is synced at once, the second waits for the interval: the writer
      // sleeps until then, and is not woken for the lazy record that follows
      j.append(new JournalRecord.StepEnded(T, "a", StepStatus.SUCCEEDED, 1, Optional.empty(), ""));
      j.append(new JournalRecord.StepEnded(T, "b", StepStatus.SUCCEEDED, 1, Optional.empty(), ""))
          .get(5, java.util.concurrent.TimeUnit.SECONDS);
      j.append(new JournalRecord.StepEnded(T, "c", StepStatus.SUCCEEDED, 1, Optional.empty(), ""));
      CompletableFuture<Void> lazy = j.appendLazily(new JournalRecord.AttemptStarted(T, "d", 1));
      lazy.get(5, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(durable).hasSize(4);
    }
    assertThat(JournalLoader.load(file, false).records()).hasSize(4);
  }

  @Test
  void aTornLastLineIsToleratedAndCutOff() throws Exception {
    Path file = dir.resolve("journal.jsonl");
    try (Journal j = Journal.open(file, r -> {})) {
      j.appendDurably(new JournalRecord.AttemptStarted(T, "a", 1));
      j.appendDurably(new JournalRecord.AttemptStarted(T, "b", 1));
    }
    long good = Files.size(file);
    Files.writeString(file, "{\"type\":\"step_ended\",\"at\":\"20", StandardOpenOption.APPEND);
    JournalLoader.Loaded loaded = JournalLoader.load(file, true);
    assertThat(loaded.records()).hasSize(2);
    assertThat(loaded.tornTail()).hasValueSatisfying(t -> assertThat(t).contains("line 3"));
    assertThat(Files.size(file)).isEqualTo(good);
    try (Journal j = Journal.open(file, r -> {})) {
      j.appendDurably(new JournalRecord.AttemptStarted(T, "c", 1));
    }
    assertThat(JournalLoader.load(file, false).records()).hasSize(3);
  }

  @Test
  void aDamagedLineInTheMiddleIsReportedWithItsLineNumber() throws Exception {
    Path file = dir.resolve("journal.jsonl");
    Files.writeString(
        file,
        JournalCodec.encode(new JournalRecord.AttemptStarted(T, "a", 1))
            + "\nnot json\n"
            + JournalCodec.encode(new JournalRecord.AttemptStarted(T, "b", 1))
            + "\n",
        StandardCharsets.UTF_8);
    assertThatThrownBy(() -> JournalLoader.load(file, true))
        .isInstanceOf(RunctlException.class)
        .hasMessageContaining("journal.jsonl:2")
        .hasMessageContaining("damaged");
  }

  @Test
  void theSnapshotIsWrittenAtomicallyAndReadBackWhileCurrent() {
    RunStore store = new RunStore(dir);
    ActiveRun run = store.create("job-20260101-000000-abcd", dir.resolve("job.yaml"), "x", T);
    run.journal()
        .appendDurably(
            new JournalRecord.RunStarted(
                T, run.runId(), "job", "job.yaml", 1, "h", 0, List.of("a")));
    run.journal()
        .appendDurably(
            new JournalRecord.StepEnded(T, "a", StepStatus.SUCCEEDED, 1, Optional.empty(), ""));
    run.close(T);
    RunFolder f = store.existing(run.runId());
    assertThat(f.snapshot()).exists();
    assertThat(f.snapshot().resolveSibling("state.json.tmp")).doesNotExist();
    RunState s = Snapshotter.read(f);
    assertThat(s.step("a").orElseThrow().status()).isEqualTo(StepStatus.SUCCEEDED);
    assertThat(store.list()).extracting(RunFolder::runId).containsExactly(run.runId());
  }

  @Test
  void aCompleteLastRecordOfAnUnknownTypeIsKeptAndWarnedAboutNotCutOffAsTorn() throws Exception {
    Path file = dir.resolve("journal.jsonl");
    try (Journal j = Journal.open(file, r -> {})) {
      j.appendDurably(new JournalRecord.AttemptStarted(T, "a", 1));
    }
    Files.writeString(
        file,
        "{\"type\":\"checkpoint_moved\",\"at\":\"2026-01-01T00:00:00Z\",\"to\":\"kept/\"}\n",
        StandardOpenOption.APPEND);
    long size = Files.size(file);
    JournalLoader.Loaded loaded = JournalLoader.load(file, true);
    assertThat(loaded.records()).hasSize(1);
    assertThat(loaded.tornTail()).isEmpty();
    assertThat(loaded.warnings())
        .singleElement()
        .satisfies(w -> assertThat(w).contains("journal.jsonl:2").contains("checkpoint_moved"));
    assertThat(Files.size(file)).as("the record is kept").isEqualTo(size);
  }

  @Test
  void aCompleteLastLineThatIsNoRecordIsDamagedNotTorn() throws Exception {
    Path file = dir.resolve("journal.jsonl");
    Files.writeString(
        file,
        JournalCodec.encode(new JournalRecord.AttemptStarted(T, "a", 1)) + "\nnot json\n",
        StandardCharsets.UTF_8);
    assertThatThrownBy(() -> JournalLoader.load(file, true))
        .isInstanceOf(JournalDamagedException.class)
        .hasMessageContaining("journal.jsonl:2")
        .satisfies(e -> assertThat(((JournalDamagedException) e).line()).isEqualTo(2));
    assertThat(Files.readString(file)).endsWith("not json\n");
  }

  @Test
  void aRunFolderThatCannotBeMadeIsRemovedAgainNotLeftHalfMade() {
    RunStore store = new RunStore(dir);
    // a spec text that cannot be written (a lone surrogate is no UTF-8): the write fails after
    // the run's folders were made, as a full disk makes it fail
    assertThatThrownBy(
            () -> store.create("job-20260101-000000-abcd", dir.resolve("job.yaml"), "x\uD800", T))
        .isInstanceOf(RunctlException.class)
        .hasMessageContaining("cannot create the run folder");
    assertThat(dir.resolve("runs/job-20260101-000000-abcd")).doesNotExist();
    assertThat(store.list()).isEmpty();
  }
}
