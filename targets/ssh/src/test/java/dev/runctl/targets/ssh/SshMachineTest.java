package dev.runctl.targets.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runctl.engine.spi.CommandSpec;
import dev.runctl.engine.spi.ConfigNode;
import dev.runctl.engine.spi.DetachedProcess;
import dev.runctl.engine.spi.DetachedSpec;
import dev.runctl.engine.spi.Diagnostics;
import dev.runctl.engine.spi.ErrorClass;
import dev.runctl.engine.spi.ExecResult;
import dev.runctl.engine.spi.Machine;
import dev.runctl.engine.spi.ManifestEntry;
import dev.runctl.engine.spi.MemoryFacts;
import dev.runctl.engine.spi.Position;
import dev.runctl.engine.spi.ProcessPoll;
import dev.runctl.engine.spi.RunClock;
import dev.runctl.engine.spi.StepException;
import dev.runctl.engine.spi.SyncRequest;
import dev.runctl.engine.spi.SyncResult;
import dev.runctl.engine.spi.TargetContext;
import dev.runctl.engine.spi.TargetSettings;
import dev.runctl.engine.testing.OffsetReads;
import dev.runctl.engine.testing.RecordingLog;
import dev.runctl.targets.ssh.testing.Sshd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ssh target's machine against a real sshd: sync, exec, detached processes, errors. */
class SshMachineTest {
  @TempDir Path dir;
  Sshd sshd;
  SshTarget target;
  List<String> warnings = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    sshd = Sshd.start(dir.resolve("sshd"));
  }

  @AfterEach
  void tearDown() throws Exception {
    if (target != null) {
      target.close();
    }
    sshd.stop();
  }

  private SshTarget open(String host, Path config, Duration reconnect) {
    Map<String, ConfigNode> m = new LinkedHashMap<>();
    Map<String, Position> keys = new LinkedHashMap<>();
    Position at = new Position(dir.resolve("job.yaml").toString(), 1, 1);
    put(m, keys, "provider", "ssh", at);
    put(m, keys, "host", host, at);
    put(m, keys, "ssh_config", config.toString(), at);
    put(m, keys, "reconnect_timeout", reconnect.toSeconds() + "s", at);
    Diagnostics d = new Diagnostics();
    SshConfig c =
        (SshConfig)
            new SshTargetProvider()
                .configure(new TargetSettings("ssh", new ConfigNode.Mapping(m, keys, at), at), d);
    assertThat(d.all()).isEmpty();
    TargetContext ctx =
        TargetContext.builder()
            .runId("run-1")
            .jobName("job")
            .runDir(dir.resolve("run"))
            .localWorkdir(dir)
            .cacheDir(dir.resolve("cache"))
            .facts(new MemoryFacts())
            .warnings(warnings::add)
            .clock(RunClock.SYSTEM)
            .build();
    target = (SshTarget) new SshTargetProvider().open(c, ctx);
    return target;
  }

  private static void put(
      Map<String, ConfigNode> m, Map<String, Position> keys, String k, String v, Position at) {
    m.put(k, ConfigNode.Scalar.string(v, at));
    keys.put(k, at);
  }

  private RecordingLog log(String name) {
    return new RecordingLog(dir.resolve(name + ".log"));
  }

  @Test
  void syncSendsOnlyWhatTheHostLacksAndAppliesDeletions() throws Exception {
    Machine m = open("box", sshd.clientConfigFile(), Duration.ofMinutes(1)).provision(log("p"));
    Path src = Files.createDirectories(dir.resolve("src"));
    write(src, "a.txt", "alpha");
    write(src, "sub/b.txt", "bravo");
    write(src, "sub/deep/c.py", "print('c')");
    write(src, "ü name with 'quotes' $x.txt", "odd");
    String longName = "long/" + "n".repeat(120) + "/" + "f".repeat(150) + ".txt";
    write(src, longName, "deep");
    SyncResult first = m.sync(request(src, List.of("sub/b.txt", "missing.txt")));
    assertThat(first.filesSent()).isEqualTo(5);
    assertThat(first.missing()).containsExactly("missing.txt");
    Path w = Path.of(m.workdir());
    assertThat(w.resolve("ü name with 'quotes' $x.txt")).hasContent("odd");
    assertThat(w.resolve(longName)).hasContent("deep");

    SyncResult same = m.sync(request(src, List.of()));
    assertThat(same.filesSent()).isZero();
    assertThat(same.bytesSent()).isZero();

    Files.move(src.resolve("sub/b.txt"), src.resolve("renamed.txt"));
    write(src, "a.txt", "alpha, changed");
    Files.delete(src.resolve("sub/deep/c.py"));
    SyncResult changed = m.sync(request(src, List.of()));
    assertThat(changed.bytesSent()).as("only a.txt's new content travels").isEqualTo(14);
    assertThat(changed.filesDeleted()).isEqualTo(2);
    assertThat(w.resolve("renamed.txt")).hasContent("bravo");
    assertThat(w.resolve("a.txt")).hasContent("alpha, changed");
    assertThat(w.resolve("sub")).as("emptied folders go too").doesNotExist();
  }

  @Test
  void aLargeSyncTravelsInSeveralStreamsAndArrivesWhole() throws Exception {
    Machine m = open("box", sshd.clientConfigFile(), Duration.ofMinutes(1)).provision(log("p"));
    Path src = Files.createDirectories(dir.resolve("many"));
    for (int i = 0; i < 1200; i++) {
      write(src, "d" + (i % 13) + "/f" + i + ".txt", "content " + i);
    }
    write(src, "old/only/x.txt", "x");
    SyncResult first = m.sync(request(src, List.of("d3/f3.txt")));
    assertThat(first.filesSent()).isEqualTo(1201);
    assertThat(first.missing()).isEmpty();
    Path w = Path.of(m.workdir());
    for (int i = 0; i < 1200; i++) {
      assertThat(w.resolve("d" + (i % 13) + "/f" + i + ".txt")).hasContent("content " + i);
    }
    Files.delete(src.resolve("old/only/x.txt"));
    SyncResult second = m.sync(request(src, List.of()));
    assertThat(second.filesDeleted()).isEqualTo(1);
    assertThat(w.resolve("old")).as("folders the deletions emptied go").doesNotExist();
    try (var state = Files.walk(sshd.home().resolve("runctl/.sync"))) {
      assertThat(state.map(p -> p.getFileName().toString()).toList())
          .as("the streams' marks are gone, the manifest is there")
          .contains("manifest", "manifest.sha")
          .noneMatch(n -> n.startsWith("done."));
    }
  }

  @Test
  void aFolderAKilledRunctlLeftIsRemovedAFreshOneIsNot() throws Exception {
    Path stale = Files.createTempDirectory(Path.of("/tmp"), "rcs-");
    Files.writeString(stale.resolve("master.log"), "");
    Files.setLastModifiedTime(
        stale,
        java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 7_200_000L));
    Path fresh = Files.createTempDirectory(Path.of("/tmp"), "rcs-");
    try {
      open("box", sshd.clientConfigFile(), Duration.ofMinutes(1)).provision(log("p"));
      assertThat(stale).doesNotExist();
      assertThat(fresh).exists();
    } finally {
      Files.deleteIfExists(fresh);
    }
  }

  @Test
  void readsFromAnOffsetAnswerOnlyTheBytesFromThere() throws Exception {
    Machine m = open("box", sshd.clientConfigFile(), Duration.ofMinutes(1)).provision(log("p"));
    m.sync(request(Files.createDirectories(dir.resolve("src")), List.of()));
    OffsetReads.check(m, log("reads"));
  }

  @Test
  void aTeardownOfARunThatNeverReachedTheHostHasNothingToDo() throws Exception {
    sshd.stop();
    RecordingLog log = log("teardown");
    open("box", sshd.clientConfigFile(), Duration.ofMinutes(1)).destroy(log);
    assertThat(log.lines()).contains("nothing of this run is on box");
  }

  @Test
  void stepsWithoutAProvisionStepRecordTheHostSoThatTeardownCleansUp() throws Exception {
    SshTarget t = open("box", sshd.clientConfigFile(), Duration.ofMinutes(1));
    Machine m = t.machine();
    m.sync(request(Files.createDirectories(dir.resolve("src")), List.of()));
    assertThat(Path.of(m.workdir())).exists();
    t.destroy(log("teardown"));
    assertThat(Path.of(m.workdir())).doesNotExist();
  }

  @Test
  void execStreamsOutputAndTellsTheExitCode() throws Exception {
    Machine m = open("box", sshd.clientConfigFile(), Duration.ofMinutes(1)).provision(log("p"));
    m.sync(request(Files.createDirectories(dir.resolve("src")), List.of()));
    RecordingLog log = log("exec");
    ExecResult r =
        m.exec(
            CommandSpec.of(
                List.of("bash", "-c", "echo out; echo \"$SECRET_X\" >&2; exit 3"),
                Map.of("SECRET_X", "s3cr'et")),
            log);
    assertThat(r.exitCode()).isEqualTo(3);
    assertThat(log.output().lines())
        .as("what the command wrote, and nothing of sshd's own log")
        .containsExactlyInAnyOrder("out", "s3cr'et");
    assertThat(m.exec(CommandSpec.of(List.of("sh", "-c", "exit 255"), Map.of()), log).exitCode())
        .as("a command's own 255 is its exit code while the host answers")
        .isEqualTo(255);
  }

  @Test
  void aDetachedProcessOutlivesTheConnectionAndIsFoundAgain() throws Exception {
    SshTarget t = open("box", sshd.clientConfigFile(), Duration.ofMinutes(1));
    Machine m = t.provision(log("p"));
    m.sync(request(Files.createDirectories(dir.resolve("src")), List.of()));
    DetachedProcess p =
        m.start(
            new DetachedSpec(
                "train-x",
                CommandSpec.of(
                    List.of(
                        "bash", "-c", "for i in 1 2 3; do echo tick $i; sleep 0.3; done; exit 4"),
                    Map.of("K", "v")),
                Optional.of("ckpt")));
    t.close(); // the master connection ends; the process goes on
    Machine again = open("box", sshd.clientConfigFile(), Duration.ofMinutes(1)).machine();
    DetachedProcess found = again.attach(p.handle()).orElseThrow();
    StringBuilder out = new StringBuilder();
    long off = 0;
    ProcessPoll poll;
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    do {
      poll = found.poll(off);
      out.append(new String(poll.output()));
      off = poll.nextOffset();
      Thread.sleep(100);
    } while (poll.state() != ProcessPoll.State.EXITED && System.nanoTime() < deadline);
    assertThat(poll.exitCode()).hasValue(4);
    assertThat(out.toString()).contains("tick 1\ntick 2\ntick 3\n");
    assertThat(again.attach("ssh:other-run:train-x")).isEmpty();
    assertThat(again.attachByName("train-x").map(DetachedProcess::handle)).hasValue(p.handle());
    assertThat(again.attachByName("train-never")).isEmpty();
  }

  @Test
  void aHostThatStaysUnreachableDuringTrainIsAnInterruption() throws Exception {
    SshTarget t = open("box", sshd.clientConfigFile(), Duration.ofSeconds(3));
    Machine m = t.provision(log("p"));
    m.sync(request(Files.createDirectories(dir.resolve("src")), List.of()));
    DetachedProcess p =
        m.start(
            new DetachedSpec(
                "train-y", CommandSpec.of(List.of("sleep", "30"), Map.of()), Optional.empty()));
    assertThat(p.poll(0).state()).isEqualTo(ProcessPoll.State.RUNNING);
    assertThatThrownBy(
            () ->
                m.start(
                    new DetachedSpec(
                        "train-y", CommandSpec.of(List.of("true"), Map.of()), Optional.empty())))
        .as("a second start of a name that runs is refused")
        .hasMessageContaining("already running");
    sshd.stop();
    assertThatThrownBy(() -> p.poll(0))
        .isInstanceOfSatisfying(
            StepException.class, e -> assertThat(e.errorClass()).isEqualTo(ErrorClass.INTERRUPTION))
        .hasMessageContaining("stayed unreachable");
    assertThat(warnings).anyMatch(w -> w.contains("lost the connection to box"));
    sshd.startProcess();
    p.terminate(Duration.ofSeconds(2));
    assertThat(p.poll(0).state()).isEqualTo(ProcessPoll.State.EXITED);
  }

  @Test
  void anUnknownHostKeySaysToRunSshKeyscan() throws Exception {
    Path config = dir.resolve("cfg");
    Files.writeString(
        config,
        sshd.clientConfig("box", null)
            .replace(
                sshd.dir().resolve("known_hosts").toString(), dir.resolve("empty").toString()));
    assertThatThrownBy(() -> open("box", config, Duration.ofMinutes(1)).provision(log("p")))
        .isInstanceOfSatisfying(StepException.class, e -> assertThat(e.retryable()).isFalse())
        .hasMessageContaining("host key of box is not known")
        .satisfies(
            e ->
                assertThat(((StepException) e).hint())
                    .hasValueSatisfying(h -> assertThat(h).contains("ssh-keyscan")));
  }

  @Test
  void aRefusedKeySaysToRunSshAdd() throws Exception {
    Path other = dir.resolve("other_key");
    new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", other.toString())
        .start()
        .waitFor();
    Path config = dir.resolve("cfg");
    Files.writeString(
        config,
        sshd.clientConfig("box", null)
            .replace(sshd.dir().resolve("user_key").toString(), other.toString()));
    assertThatThrownBy(() -> open("box", config, Duration.ofMinutes(1)).provision(log("p")))
        .hasMessageContaining("refused the key")
        .satisfies(
            e ->
                assertThat(((StepException) e).hint())
                    .hasValueSatisfying(h -> assertThat(h).contains("ssh-add")));
  }

  @Test
  void aHostThatDoesNotAnswerSaysSo() throws Exception {
    sshd.stop();
    assertThatThrownBy(
            () -> open("box", sshd.clientConfigFile(), Duration.ofMinutes(1)).provision(log("p")))
        .isInstanceOf(SshErrors.Unreachable.class)
        .hasMessageContaining("Cannot reach box over ssh: ")
        .satisfies(
            e ->
                assertThat(((StepException) e).hint())
                    .hasValueSatisfying(h -> assertThat(h).contains("ssh -v box true")));
  }

  private static void write(Path root, String rel, String text) throws Exception {
    Path f = root.resolve(rel);
    Files.createDirectories(f.getParent());
    Files.writeString(f, text);
  }

  static SyncRequest request(Path root, List<String> mustExist) throws Exception {
    List<ManifestEntry> files = new ArrayList<>();
    try (var walk = Files.walk(root)) {
      for (Path p : walk.filter(Files::isRegularFile).sorted().toList()) {
        byte[] b = Files.readAllBytes(p);
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        files.add(
            new ManifestEntry(
                root.relativize(p).toString(),
                b.length,
                Files.getLastModifiedTime(p).toMillis(),
                0644,
                sha));
      }
    }
    return new SyncRequest(root, files, mustExist, s -> {});
  }
}
