package dev.runctl.engine.mirror;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runctl.engine.spi.RemoteState;
import dev.runctl.engine.spi.StateRef;
import dev.runctl.engine.state.RunFolder;
import dev.runctl.engine.testing.MemoryRemoteState;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShipAndPullTest {
  static final StateRef REF =
      new StateRef("mem", Map.of("where", "here"), Optional.empty(), "a test");
  @TempDir Path dir;
  final MemoryRemoteState remote = new MemoryRemoteState();
  final List<String> warnings = new ArrayList<>();

  RunFolder folder(String machine) throws Exception {
    RunFolder f =
        new RunFolder(
            "job-20261206-120000-ab12",
            dir.resolve(machine).resolve("runs/job-20261206-120000-ab12"));
    Files.createDirectories(f.logs());
    return f;
  }

  static void append(Path f, String text) throws Exception {
    Files.createDirectories(f.getParent());
    Files.writeString(
        f, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  Shipper shipper(RunFolder f) {
    // a pace so slow that only the test's passes ship
    return Shipper.start(remote, f, Duration.ofHours(1), warnings::add);
  }

  @Test
  void shipsOnlyWhatIsNewAndAnotherFolderCatchesUpByteForByte() throws Exception {
    RunFolder a = folder("a");
    Files.writeString(a.spec(), "name: job\n");
    append(a.journal(), "{\"n\":1}\n{\"n\":2}\n");
    append(a.log("train"), "epoch 1\n");
    Shipper s = shipper(a);
    s.pass(); // the background thread's first pass may run too: both are serialized
    append(a.journal(), "{\"n\":3}\n{\"n\":");
    append(a.log("train"), "epoch 2\n");
    append(a.dir().resolve("metrics/train.jsonl"), "{\"loss\":1}\n");
    assertThat(s.pass()).as("a torn journal line waits").isFalse();
    append(a.journal(), "4}\n");
    append(a.log("train"), "epoch 3\n");
    assertThat(s.pass()).isTrue();
    s.close();

    RunKeys keys = new RunKeys(a.runId());
    Map<String, RemoteState.Blob> objects = remote.objects();
    long logBytesShipped = 0;
    for (var e : objects.entrySet()) {
      if (e.getKey().startsWith(keys.packPrefix())) {
        for (Pack.Entry en : Pack.decode(e.getValue().data()).entries()) {
          if (en.path().equals("logs/train.log")) {
            logBytesShipped += en.data().length;
          }
        }
      }
    }
    assertThat(logBytesShipped).as("the log is never sent again whole").isEqualTo(24);
    StringBuilder journal = new StringBuilder();
    objects.forEach(
        (k, b) -> {
          if (k.startsWith(keys.journalPrefix())) {
            journal.append(new String(b.data(), StandardCharsets.UTF_8));
          }
        });
    assertThat(journal.toString()).isEqualTo(Files.readString(a.journal()));
    assertThat(objects.keySet().stream().filter(k -> k.startsWith(keys.journalPrefix())))
        .as("segments, not a rewrite per pass")
        .hasSizeGreaterThanOrEqualTo(2);

    RunFolder b = folder("b");
    assertThat(new Puller(remote).pull(b, REF)).isTrue();
    assertThat(Files.readString(b.journal())).isEqualTo(Files.readString(a.journal()));
    assertThat(Files.readString(b.log("train"))).isEqualTo("epoch 1\nepoch 2\nepoch 3\n");
    assertThat(Files.readString(b.dir().resolve("metrics/train.jsonl")))
        .isEqualTo("{\"loss\":1}\n");
    assertThat(Files.readString(b.spec())).isEqualTo("name: job\n");
    assertThat(SharedState.refOf(b)).contains(REF);
  }

  @Test
  void aFolderThatLagsCatchesUpAndOneThatDivergedYieldsToTheStore() throws Exception {
    RunFolder a = folder("a");
    append(a.journal(), "{\"n\":1}\n");
    append(a.log("s"), "one\n");
    Shipper s = shipper(a);
    s.pass();
    s.close();
    RunFolder b = folder("b");
    new Puller(remote).pull(b, REF);
    // a goes on, but dies before shipping its last record
    append(a.journal(), "{\"n\":2,\"from\":\"a\"}\n");
    // b takes the run over and goes on from what the store holds
    Shipper sb = shipper(b);
    append(b.journal(), "{\"n\":2,\"from\":\"b\"}\n{\"n\":3}\n");
    append(b.log("s"), "two from b\n");
    sb.pass();
    sb.close();
    assertThat(new Puller(remote).pull(a, REF)).isTrue();
    assertThat(Files.readString(a.journal()))
        .isEqualTo("{\"n\":1}\n{\"n\":2,\"from\":\"b\"}\n{\"n\":3}\n");
    assertThat(Files.readString(a.log("s"))).isEqualTo("one\ntwo from b\n");
    // nothing new: a second catch-up reads no object
    int before = remote.puts();
    new Puller(remote).pull(a, REF);
    assertThat(remote.puts()).isEqualTo(before);
  }

  @Test
  void aStoreThatDoesNotAnswerDelaysShippingWithOneWarningAndLosesNothing() throws Exception {
    RunFolder a = folder("a");
    append(a.journal(), "{\"n\":1}\n");
    Shipper s = shipper(a);
    s.pass();
    remote.failNext(1000);
    append(a.journal(), "{\"n\":2}\n");
    assertThat(s.pass()).isFalse();
    assertThat(s.pass()).isFalse();
    assertThat(warnings).hasSize(1);
    assertThat(warnings.get(0)).contains("cannot ship run").contains("unreachable");
    remote.failNext(0);
    append(a.journal(), "{\"n\":3}\n");
    assertThat(s.pass()).isTrue();
    s.close();
    RunFolder b = folder("b");
    new Puller(remote).pull(b, REF);
    assertThat(Files.readString(b.journal())).isEqualTo("{\"n\":1}\n{\"n\":2}\n{\"n\":3}\n");
  }

  @Test
  void aStoreCannotMakeTheCatchUpWriteOutsideTheRunsOwnFiles() throws Exception {
    RunFolder b = folder("b");
    RunKeys keys = new RunKeys(b.runId());
    remote.put(keys.segment(0), "{\"n\":1}\n".getBytes(StandardCharsets.UTF_8));
    remote.put(keys.file("../../escaped"), new byte[] {1});
    remote.put(keys.file("lock"), new byte[] {1});
    remote.put(keys.file("mirror.properties"), new byte[] {1});
    remote.put(
        keys.pack(0),
        new Pack(
                List.of(
                    new Pack.Entry("../../../escaped-too", 0, new byte[] {1}),
                    new Pack.Entry("logs/../lock", 0, new byte[] {1}),
                    new Pack.Entry("logs/ok.log", 0, "ok\n".getBytes(StandardCharsets.UTF_8))))
            .encode());
    assertThat(new Puller(remote).pull(b, REF)).isTrue();
    assertThat(dir.resolve("b/escaped")).doesNotExist();
    assertThat(dir.resolve("escaped-too")).doesNotExist();
    assertThat(dir.resolve("b/runs/escaped-too")).doesNotExist();
    assertThat(b.dir().resolve("lock")).doesNotExist();
    assertThat(Files.readString(b.dir().resolve("mirror.properties"))).contains("backend=mem");
    assertThat(Files.readString(b.log("ok"))).isEqualTo("ok\n");
  }

  @Test
  void aRunThatIsNotInTheStoreIsNotPulled() throws Exception {
    assertThat(new Puller(remote).pull(folder("b"), REF)).isFalse();
  }

  @Test
  void twoCommandsCatchingUpOneFolderAtOnceBothSucceed() throws Exception {
    // `logs --follow` and `cancel` on one machine both catch up the same run folder: each replaces
    // the run's whole files and its ledger while the other does
    RunFolder a = folder("a");
    Files.writeString(a.spec(), "name: job\n");
    append(a.journal(), "{\"n\":1}\n");
    Shipper s = shipper(a);
    s.pass();
    s.close();
    RunKeys keys = new RunKeys(a.runId());
    RunFolder b = folder("b");
    java.util.concurrent.atomic.AtomicReference<Throwable> failed =
        new java.util.concurrent.atomic.AtomicReference<>();
    Runnable puller =
        () -> {
          try {
            for (int i = 0; i < 300 && failed.get() == null; i++) {
              new Puller(remote).pull(b, REF);
            }
          } catch (Throwable e) {
            failed.compareAndSet(null, e);
          }
        };
    Thread one = new Thread(puller);
    Thread two = new Thread(puller);
    one.start();
    two.start();
    for (int i = 0; i < 300 && one.isAlive(); i++) {
      remote.put(
          keys.file("spec.yaml"), ("name: job\n# " + i + "\n").getBytes(StandardCharsets.UTF_8));
    }
    one.join();
    two.join();
    assertThat(failed.get()).as("a catch-up beside another").isNull();
    try (var files = Files.list(b.dir())) {
      assertThat(files.map(f -> f.getFileName().toString()))
          .as("no temporary file left behind")
          .noneMatch(n -> n.endsWith(".tmp"));
    }
  }
}
