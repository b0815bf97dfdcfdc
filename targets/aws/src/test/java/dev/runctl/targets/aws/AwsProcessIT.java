package dev.runctl.targets.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runctl.engine.spi.CommandSpec;
import dev.runctl.engine.spi.DetachedProcess;
import dev.runctl.engine.spi.DetachedSpec;
import dev.runctl.engine.spi.ErrorClass;
import dev.runctl.engine.spi.ExecResult;
import dev.runctl.engine.spi.Health;
import dev.runctl.engine.spi.Machine;
import dev.runctl.engine.spi.MemoryFacts;
import dev.runctl.engine.spi.ProcessPoll;
import dev.runctl.engine.spi.StepException;
import dev.runctl.engine.spi.Target;
import dev.runctl.engine.testing.OffsetReads;
import dev.runctl.engine.testing.RecordingLog;
import dev.runctl.targets.aws.moto.MotoServer;
import dev.runctl.targets.aws.support.AwsHarness;
import dev.runctl.targets.aws.support.AwsTargetIT;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Commands and detached processes really running in the emulated instance. */
class AwsProcessIT extends AwsTargetIT {
  @RegisterExtension static final MotoServer MOTO = new MotoServer();
  private static final String SECRET = "s3cr3t-'value' $HOME;";

  @Override
  protected MotoServer moto() {
    return MOTO;
  }

  @Test
  void execStreamsAllOutputKeepsArgumentsAndExitCodeAndHidesSecrets() throws Exception {
    Target t = aws.open("run-exec", new MemoryFacts(), AwsHarness.settings());
    RecordingLog log = aws.log("run-exec", "deps");
    Machine m = t.provision(log);
    try {
      ExecResult big = m.exec(CommandSpec.of(List.of("seq", "1", "30000"), Map.of()), log);
      assertThat(big.exitCode()).isZero();
      assertThat(log.output()).startsWith("1\n2\n").contains("\n29999\n30000\n");
      assertThat(log.output().length()).isGreaterThan(24_000 * 5);

      List<String> args = List.of("a b", "it's", "$HOME", "--flag", "x;y", "line\nbreak", "ünï");
      RecordingLog argLog = aws.log("run-exec", "args");
      ExecResult r =
          m.exec(
              CommandSpec.of(
                  Stream.concat(
                          Stream.of(
                              "python3",
                              "-c",
                              "import sys,os;print(sys.argv[1:]);print(os.environ['TOKEN'])"),
                          args.stream())
                      .toList(),
                  Map.of("TOKEN", SECRET)),
              argLog);
      assertThat(r.exitCode()).isZero();
      assertThat(argLog.output())
          .contains("['a b', \"it's\", '$HOME', '--flag', 'x;y', 'line\\nbreak', 'ünï']")
          .contains(SECRET);
      try (Stream<Path> files = Files.walk(MOTO.sandbox(m.id()).resolve(".ssm"))) {
        for (Path script : files.filter(p -> p.endsWith("_script.sh")).toList()) {
          assertThat(Files.readString(script)).as("SSM command text").doesNotContain("s3cr3t");
        }
      }

      ExecResult failed =
          m.exec(CommandSpec.of(List.of("sh", "-c", "echo boom >&2; exit 3"), Map.of()), log);
      assertThat(failed.exitCode()).isEqualTo(3);
      assertThat(failed.tail()).contains("boom");

      assertThat(m.read("nothing-here", 100)).isEmpty();
      m.exec(
          CommandSpec.of(
              List.of(
                  "sh",
                  "-c",
                  "mkdir -p out/d && echo '{\"accuracy\": 0.93}' > out/m.json && head -c 40000 /dev/zero > out/d/big"),
              Map.of()),
          log);
      assertThat(new String(m.read("out/m.json", 1000).orElseThrow(), StandardCharsets.UTF_8))
          .contains("0.93");
      assertThat(m.read("out/d/big", 1 << 20).orElseThrow()).hasSize(40000);
      assertThat(m.read("out/d/big", 39000, 1 << 20).orElseThrow().bytes()).hasSize(1000);
      OffsetReads.check(m, log);
      assertThat(m.list("out"))
          .extracting(f -> f.path() + ":" + f.size())
          .containsExactlyInAnyOrder("out/m.json:19", "out/d/big:40000");
      m.fetch("out", dir.resolve("artifacts"));
      assertThat(dir.resolve("artifacts/out/m.json")).hasContent("{\"accuracy\": 0.93}");
      assertThat(dir.resolve("artifacts/out/d/big")).hasSize(40000);
    } finally {
      t.destroy(log);
    }
  }

  @Test
  void detachedProcessSurvivesRunctlAndIsReattachedAndStopped() throws Exception {
    MemoryFacts facts = new MemoryFacts();
    Target t = aws.open("run-train", facts, AwsHarness.settings());
    RecordingLog log = aws.log("run-train", "train");
    Machine m = t.provision(log);
    try {
      DetachedSpec spec =
          new DetachedSpec(
              "train",
              CommandSpec.of(
                  List.of("python3", "-u", "-c", TRAINER, "run with spaces"),
                  Map.of("RUNCTL_CHECKPOINT_DIR", "ck")),
              Optional.of("ck"));
      DetachedProcess p = m.start(spec);
      assertThat(p.handle()).isEqualTo("aws:" + m.id() + ":train");
      assertThatThrownBy(() -> m.start(spec)).hasMessageContaining("already running");

      ByteArrayOutputStream out = new ByteArrayOutputStream();
      long offset = until(p, 0, out, "epoch 2");
      String sig = p.poll(offset).watchSignature();
      assertThat(sig).isNotEqualTo("-");

      // runctl dies; a new process reattaches by the handle it recorded
      Target again = aws.open("run-train", facts, AwsHarness.settings());
      DetachedProcess back = again.machine().attach(p.handle()).orElseThrow();
      offset = until(back, offset, out, "epoch 4");
      assertThat(out.toString(StandardCharsets.UTF_8))
          .startsWith("start run with spaces\nepoch 1\n");
      assertThat(again.machine().attach("aws:i-0000:train")).isEmpty();
      // or, killed before it recorded the handle, by the name it recorded before the start
      assertThat(again.machine().attachByName("train").map(DetachedProcess::handle))
          .contains(p.handle());
      assertThat(again.machine().attachByName("never-started")).isEmpty();

      back.terminate(Duration.ofSeconds(2));
      ProcessPoll end = back.poll(offset);
      assertThat(end.state()).isEqualTo(ProcessPoll.State.EXITED);
      assertThat(end.exitCode().orElseThrow()).isNotZero();
      assertThat(
              aws.s3
                  .listObjectsV2(
                      r -> r.bucket(AwsHarness.BUCKET).prefix("runctl/runs/run-train/watch/train/"))
                  .contents())
          .isNotEmpty();
    } finally {
      t.destroy(log);
    }
  }

  @Test
  void spotReclaimIsAnInterruptionAndTheNextMachineRestoresCheckpoints() throws Exception {
    MemoryFacts facts = new MemoryFacts();
    Target t = aws.open("run-reclaim", facts, AwsHarness.settings("market", "spot"));
    RecordingLog log = aws.log("run-reclaim", "train");
    Machine m = t.provision(log);
    try {
      DetachedSpec spec =
          new DetachedSpec(
              "train",
              CommandSpec.of(List.of("python3", "-u", "-c", TRAINER, "x"), Map.of()),
              Optional.of("ck"));
      DetachedProcess p = m.start(spec);
      long offset = until(p, 0, new ByteArrayOutputStream(), "epoch 3");
      awaitCheckpointInBucket("run-reclaim", "3");

      MOTO.interrupt(m.id());
      long at = offset;
      assertThatThrownBy(() -> p.poll(at))
          .isInstanceOf(StepException.class)
          .satisfies(
              e -> assertThat(((StepException) e).errorClass()).isEqualTo(ErrorClass.INTERRUPTION));
      assertThat(m.health()).isEqualTo(Health.INTERRUPTED);
      assertThatThrownBy(t::machine)
          .satisfies(
              e -> assertThat(((StepException) e).errorClass()).isEqualTo(ErrorClass.INTERRUPTION));

      Machine next = t.provision(log);
      assertThat(next.id()).isNotEqualTo(m.id());
      assertThat(next.read("ck/3", 100))
          .as("provision put the checkpoints back before any process starts there")
          .isPresent();
      assertThat(log.text()).contains("put back ck (");
      assertThat(facts.get("aws.instances").orElseThrow()).contains(m.id()).contains(next.id());
      assertThat(next.attach(p.handle())).isEmpty();
      DetachedProcess resumed = next.start(spec);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      until(resumed, 0, out, "\nepoch ");
      String text = out.toString(StandardCharsets.UTF_8);
      assertThat(text).startsWith("resumed from ");
      int from = Integer.parseInt(text.substring(13, text.indexOf('\n')));
      assertThat(from)
          .as("resumed from the checkpoint that reached the bucket")
          .isGreaterThanOrEqualTo(3);
      assertThat(text).contains("epoch " + (from + 1));
    } finally {
      t.destroy(log);
    }
    assertThat(aws.instancesOf("run-reclaim"))
        .hasSize(2)
        .allMatch(i -> i.state().nameAsString().equals("terminated"));
  }

  @Test
  void aReclaimThatKillsTheProcessesSecondsBeforeTheStateChangesIsAnInterruption()
      throws Exception {
    Target t = aws.open("run-lag", new MemoryFacts(), AwsHarness.settings("market", "spot"));
    RecordingLog log = aws.log("run-lag", "train");
    Machine m = t.provision(log);
    try {
      DetachedProcess p = m.start(trainer());
      long offset = until(p, 0, new ByteArrayOutputStream(), "epoch 2");
      MOTO.interrupt(m.id(), 5, false);
      assertThat(pollUntilThrown(p, offset).errorClass()).isEqualTo(ErrorClass.INTERRUPTION);
      assertThat(m.health()).isEqualTo(Health.INTERRUPTED);
    } finally {
      t.destroy(log);
    }
  }

  @Test
  void aSpotInterruptionNoticeOnTheInstanceMakesItAnInterruptionAtOnce() throws Exception {
    Target t = aws.open("run-notice", new MemoryFacts(), AwsHarness.settings("market", "spot"));
    RecordingLog log = aws.log("run-notice", "train");
    Machine m = t.provision(log);
    try {
      DetachedProcess p = m.start(trainer());
      long offset = until(p, 0, new ByteArrayOutputStream(), "epoch 2");
      MOTO.interrupt(m.id(), 120, true);
      StepException e = pollUntilThrown(p, offset);
      assertThat(e.errorClass()).isEqualTo(ErrorClass.INTERRUPTION);
      assertThat(e.getMessage()).contains("spot interruption notice").contains("terminate");
    } finally {
      t.destroy(log);
    }
  }

  private static DetachedSpec trainer() {
    return new DetachedSpec(
        "train",
        CommandSpec.of(List.of("python3", "-u", "-c", TRAINER, "x"), Map.of()),
        Optional.of("ck"));
  }

  /** Polls until a poll throws; a LOST or EXITED state on the way fails the test. */
  private static StepException pollUntilThrown(DetachedProcess p, long offset) throws Exception {
    Instant deadline = Instant.now().plusSeconds(120);
    while (Instant.now().isBefore(deadline)) {
      try {
        ProcessPoll poll = p.poll(offset);
        offset = poll.nextOffset();
        assertThat(poll.state()).isEqualTo(ProcessPoll.State.RUNNING);
      } catch (StepException e) {
        return e;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("no poll failed within 120 s");
  }

  /** Counts epochs, one per 0.7 s, writing a checkpoint each; resumes from the newest one. */
  static final String TRAINER =
      "import os,sys,time\n"
          + "os.makedirs('ck',exist_ok=True)\n"
          + "done=sorted(int(f) for f in os.listdir('ck'))\n"
          + "start=done[-1] if done else 0\n"
          + "print('start '+sys.argv[1]) if not start else print('resumed from %d' % start)\n"
          + "for e in range(start+1,400):\n"
          + "  time.sleep(0.7)\n"
          + "  open('ck/%d' % e,'w').write('x')\n"
          + "  print('epoch %d' % e, flush=True)\n";

  private long until(DetachedProcess p, long offset, ByteArrayOutputStream out, String text)
      throws Exception {
    Instant deadline = Instant.now().plusSeconds(90);
    while (!out.toString(StandardCharsets.UTF_8).contains(text)) {
      ProcessPoll poll = p.poll(offset);
      out.write(poll.output());
      offset = poll.nextOffset();
      assertThat(poll.state())
          .as(out.toString(StandardCharsets.UTF_8))
          .isEqualTo(ProcessPoll.State.RUNNING);
      assertThat(Instant.now()).as("waiting for " + text).isBefore(deadline);
      Thread.sleep(300);
    }
    return offset;
  }

  private void awaitCheckpointInBucket(String runId, String name) throws Exception {
    Instant deadline = Instant.now().plusSeconds(60);
    while (aws.s3
        .listObjectsV2(
            r ->
                r.bucket(AwsHarness.BUCKET).prefix("runctl/runs/" + runId + "/watch/train/" + name))
        .contents()
        .isEmpty()) {
      assertThat(Instant.now()).as("checkpoint in the bucket").isBefore(deadline);
      Thread.sleep(300);
    }
  }
}
