package dev.runctl.targets.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runctl.engine.spi.CommandSpec;
import dev.runctl.engine.spi.Machine;
import dev.runctl.engine.spi.MemoryFacts;
import dev.runctl.engine.spi.StepException;
import dev.runctl.engine.spi.SyncRequest;
import dev.runctl.engine.spi.SyncResult;
import dev.runctl.engine.spi.Target;
import dev.runctl.engine.testing.RecordingLog;
import dev.runctl.targets.aws.moto.MotoServer;
import dev.runctl.targets.aws.support.AwsHarness;
import dev.runctl.targets.aws.support.AwsTargetIT;
import dev.runctl.targets.aws.support.Trees;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Sync through S3 into the emulated instance, and throttling on a third of the calls. */
class AwsSyncIT extends AwsTargetIT {
  @RegisterExtension static final MotoServer MOTO = new MotoServer();

  @Override
  protected MotoServer moto() {
    return MOTO;
  }

  @Test
  void syncIsIncrementalKeepsModesAndAppliesDeletions() throws Exception {
    Path work = project();
    Target t = aws.open("run-sync", new MemoryFacts(), AwsHarness.settings());
    RecordingLog log = aws.log("run-sync", "sync");
    Machine m = t.provision(log);
    try {
      List<String> progress = new ArrayList<>();
      SyncResult first =
          m.sync(
              new SyncRequest(
                  work,
                  Trees.manifest(work),
                  List.of("train/run.sh", "data/a b.txt", "absent.txt"),
                  progress::add));
      assertThat(first.filesSent()).isEqualTo(4); // two files share one blob
      assertThat(first.missing()).containsExactly("absent.txt");
      Path remote = Path.of(m.workdir());
      assertThat(remote).startsWith(MOTO.sandbox(m.id()));
      assertThat(Files.readString(remote.resolve("data/a b.txt"))).isEqualTo("same\n");
      assertThat(Files.readString(remote.resolve("data/sub/ünï 'q'.txt"))).isEqualTo("unicode\n");
      assertThat(
              PosixFilePermissions.toString(
                  Files.getPosixFilePermissions(remote.resolve("train/run.sh"))))
          .isEqualTo("rwxr-xr-x");

      long before = MOTO.stats().get("requests");
      SyncResult again =
          m.sync(new SyncRequest(work, Trees.manifest(work), List.of("train/run.sh"), s -> {}));
      assertThat(again.filesSent()).isZero();
      assertThat(again.bytesSent()).isZero();
      assertThat(again.missing()).isEmpty();
      assertThat(MOTO.stats().get("requests") - before)
          .as("calls for an unchanged re-sync")
          .isLessThan(12);

      Files.writeString(work.resolve("data/a b.txt"), "changed\n");
      Files.delete(work.resolve("data/sub/ünï 'q'.txt"));
      SyncResult third = m.sync(new SyncRequest(work, Trees.manifest(work), List.of(), s -> {}));
      assertThat(third.filesSent()).isEqualTo(1);
      assertThat(third.filesDeleted()).isEqualTo(1);
      assertThat(Files.readString(remote.resolve("data/a b.txt"))).isEqualTo("changed\n");
      assertThat(remote.resolve("data/sub")).doesNotExist();

      // a file written on the instance (a checkpoint) is not touched by sync
      m.exec(
          CommandSpec.of(List.of("sh", "-c", "mkdir -p ck && echo 1 > ck/c.json"), Map.of()), log);
      m.sync(new SyncRequest(work, Trees.manifest(work), List.of(), s -> {}));
      assertThat(remote.resolve("ck/c.json")).exists();
    } finally {
      t.destroy(log);
    }
  }

  @Test
  void aSecondMachineGetsEverythingWithoutNewUploads() throws Exception {
    Path work = project();
    Target a = aws.open("run-one", new MemoryFacts(), AwsHarness.settings());
    Target b = aws.open("run-two", new MemoryFacts(), AwsHarness.settings());
    RecordingLog log = aws.log("run-one", "sync");
    try {
      Machine ma = a.provision(log);
      ma.sync(new SyncRequest(work, Trees.manifest(work), List.of(), s -> {}));
      Machine mb = b.provision(log);
      SyncResult r = mb.sync(new SyncRequest(work, Trees.manifest(work), List.of(), s -> {}));
      assertThat(r.filesSent()).isZero();
      assertThat(Path.of(mb.workdir()).resolve("train/run.sh")).exists();
    } finally {
      a.destroy(log);
      b.destroy(log);
    }
  }

  @Test
  void throttlingOnAThirdOfCallsStillCompletes() throws Exception {
    MOTO.faults("{\"throttle_every\": 3, \"throttle_services\": [\"ec2\", \"ssm\", \"s3\"]}");
    Path work = project();
    Target t = aws.open("run-throttle", new MemoryFacts(), AwsHarness.settings());
    RecordingLog log = aws.log("run-throttle", "sync");
    try {
      Machine m = t.provision(log);
      SyncRequest sync =
          new SyncRequest(work, Trees.manifest(work), List.of("train/run.sh"), s -> {});
      // The AWS CLI on the instance retries too, but may still run out of attempts when every
      // third request is throttled: what it reports then is retryable, and the engine retries
      // the step (`retry: {on: [error]}`), as here.
      for (int attempt = 1; ; attempt++) {
        try {
          m.sync(sync);
          break;
        } catch (StepException e) {
          if (!e.retryable() || attempt == 3) {
            throw e;
          }
        }
      }
      var r = m.exec(CommandSpec.of(List.of("./train/run.sh", "x y"), Map.of("K", "v")), log);
      assertThat(r.exitCode()).isZero();
      assertThat(log.output()).contains("ran with x y and v");
    } finally {
      t.destroy(log);
    }
    assertThat(MOTO.stats().get("throttled")).isGreaterThan(10);
    assertThat(aws.instancesOf("run-throttle")).hasSize(1);
  }

  @Test
  void aStageMadeReadyWhileTheWorkdirIsHashedListsTheBucketOnce() throws Exception {
    Path work = project();
    Target t = aws.open("run-stage", new MemoryFacts(), AwsHarness.settings());
    long before = s3Requests();
    t.prepareStage(); // returns at once; the bucket's check and its listing go on meanwhile
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
    while (s3Requests() - before < 2 && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(s3Requests() - before).as("HEAD of the bucket and one listing, ahead").isEqualTo(2);
    SyncResult sent = t.stage(new SyncRequest(work, Trees.manifest(work), List.of(), s -> {}));
    assertThat(s3Requests() - before)
        .as("no second listing: only the blobs' PUTs after the two")
        .isEqualTo(2 + sent.filesSent());
    assertThat(t.stage(new SyncRequest(work, Trees.manifest(work), List.of(), s -> {})).filesSent())
        .isZero();
  }

  private static long s3Requests() {
    return MOTO.stats().getOrDefault("s3_requests", 0L);
  }

  private Path project() throws Exception {
    Path work = dir.resolve("work");
    Files.createDirectories(work.resolve("train"));
    Files.createDirectories(work.resolve("data/sub"));
    Path run = work.resolve("train/run.sh");
    Files.writeString(run, "#!/bin/sh\necho \"ran with $1 and $K\"\n");
    Files.setPosixFilePermissions(run, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.writeString(work.resolve("data/a b.txt"), "same\n");
    Files.writeString(work.resolve("data/copy.txt"), "same\n");
    Files.write(work.resolve("data/sub/ünï 'q'.txt"), "unicode\n".getBytes(StandardCharsets.UTF_8));
    Files.write(work.resolve("big.bin"), new byte[300_000]);
    return work;
  }
}
