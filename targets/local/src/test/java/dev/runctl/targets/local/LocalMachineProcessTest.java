package dev.runctl.targets.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runctl.engine.spi.CommandSpec;
import dev.runctl.engine.spi.DetachedProcess;
import dev.runctl.engine.spi.DetachedSpec;
import dev.runctl.engine.spi.ExecResult;
import dev.runctl.engine.spi.ProcessPoll;
import dev.runctl.engine.spi.StepException;
import dev.runctl.engine.testing.RecordingLog;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalMachineProcessTest {
  @TempDir Path tmp;
  private LocalMachine machine;
  private final ProcessRunner runner = new ProcessRunner(Duration.ofSeconds(2));

  @BeforeEach
  void setUp() throws Exception {
    Files.createDirectories(tmp.resolve("work"));
    machine = newMachine();
  }

  @AfterEach
  void stopAll() throws Exception {
    for (LocalDetachedProcess p : machine.runningProcesses()) {
      p.terminate(Duration.ofSeconds(1));
    }
  }

  private LocalMachine newMachine() {
    return new LocalMachine(
        "m", tmp.resolve("work"), tmp.resolve("procs"), tmp.resolve("cache"), false, runner);
  }

  @Test
  void execStreamsOutputAndReturnsExitCode() throws Exception {
    RecordingLog log = new RecordingLog(tmp.resolve("logs/step.log"));
    ExecResult r =
        machine.exec(
            CommandSpec.of(
                List.of("sh", "-c", "echo hello $GREETING; echo oops >&2; exit 3"),
                Map.of("GREETING", "world")),
            log);
    assertThat(r.exitCode()).isEqualTo(3);
    assertThat(log.text()).contains("hello world").contains("oops");
    assertThat(r.tail()).contains("oops");
  }

  @Test
  void execPassesEveryArgumentIntactAndRunsInCwd() throws Exception {
    Files.createDirectories(tmp.resolve("work/sub dir"));
    RecordingLog log = new RecordingLog(tmp.resolve("logs/step.log"));
    List<String> weird =
        List.of("a b", "it's \"quoted\"", "$HOME", "x;y", "line1\nline2", "--flag");
    List<String> argv =
        new java.util.ArrayList<>(
            List.of(
                "python3", "-c", "import sys, os; print(repr(sys.argv[1:])); print(os.getcwd())"));
    argv.addAll(weird);
    ExecResult r = machine.exec(new CommandSpec(argv, Map.of(), Optional.of("sub dir")), log);
    assertThat(r.exitCode()).isZero();
    assertThat(log.text())
        .contains("['a b', 'it\\'s \"quoted\"', '$HOME', 'x;y', 'line1\\nline2', '--flag']")
        .contains("sub dir");
  }

  @Test
  void deleteRemovesAFileAndIsQuietWhenItIsGone() throws Exception {
    Path f = tmp.resolve("work/out.txt");
    Files.writeString(f, "k=v\n");
    RecordingLog log = new RecordingLog(tmp.resolve("logs/step.log"));
    machine.delete("out.txt", log);
    assertThat(f).doesNotExist();
    machine.delete(f.toString(), log);
    assertThat(log.text()).isEmpty();
  }

  @Test
  void interruptKillsTheWholeProcessTree() throws Exception {
    Path pidFile = tmp.resolve("work/grandchild.pid");
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread t =
        inBackground(
            () ->
                machine.exec(
                    CommandSpec.of(
                        List.of("sh", "-c", "sleep 300 & echo $! > grandchild.pid; wait"),
                        Map.of()),
                    new RecordingLog(tmp.resolve("logs/step.log"))),
            thrown);
    waitFor(() -> Files.exists(pidFile) && !readString(pidFile).isBlank());
    long grandchild = Long.parseLong(readString(pidFile).trim());
    assertThat(ProcessHandle.of(grandchild)).isPresent();
    t.interrupt();
    t.join(20_000);
    assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
    waitFor(() -> ProcessHandle.of(grandchild).map(h -> !h.isAlive()).orElse(true));
  }

  @Test
  void detachedProcessReportsOutputAndItsOwnExitCode() throws Exception {
    DetachedProcess p =
        machine.start(
            new DetachedSpec(
                "job",
                CommandSpec.of(List.of("sh", "-c", "echo out; echo err >&2; exit 7"), Map.of()),
                Optional.empty()));
    ProcessPoll poll = awaitEnd(p);
    assertThat(poll.exitCode()).hasValue(7);
    String all = new String(p.poll(0).output(), StandardCharsets.UTF_8);
    assertThat(all).contains("out").contains("err");
    assertThat(Files.list(tmp.resolve("work")).toList()).isEmpty(); // no marker for the script
  }

  @Test
  void secondStartOfALiveNameIsRefused() throws Exception {
    DetachedSpec spec =
        new DetachedSpec(
            "train-x", CommandSpec.of(List.of("sleep", "300"), Map.of()), Optional.empty());
    DetachedProcess first = machine.start(spec);
    assertThatThrownBy(() -> machine.start(spec))
        .isInstanceOf(StepException.class)
        .hasMessageContaining("already running")
        .hasMessageContaining("train-x");
    first.terminate(Duration.ofSeconds(2));
    assertThat(first.poll(0).state()).isEqualTo(ProcessPoll.State.EXITED);
    DetachedProcess again =
        machine.start(
            new DetachedSpec(
                "train-x", CommandSpec.of(List.of("true"), Map.of()), Optional.empty()));
    assertThat(awaitEnd(again).exitCode()).hasValue(0);
  }

  @Test
  void aFreshMachineReattachesByHandleAndTerminatesTheGroup() throws Exception {
    Path child = tmp.resolve("work/child.pid");
    DetachedProcess p =
        machine.start(
            new DetachedSpec(
                "long",
                CommandSpec.of(
                    List.of("sh", "-c", "sleep 300 & echo $! > child.pid; echo started; wait"),
                    Map.of()),
                Optional.of("ckpt")));
    waitFor(() -> Files.exists(child) && !readString(child).isBlank());
    long grandchild = Long.parseLong(readString(child).trim());

    LocalMachine restarted = newMachine();
    DetachedProcess found = restarted.attach(p.handle()).orElseThrow();
    ProcessPoll poll = found.poll(0);
    assertThat(poll.state()).isEqualTo(ProcessPoll.State.RUNNING);
    assertThat(tmp.resolve("work/ckpt")).isDirectory(); // the watched folder is made at start
    String before = poll.watchSignature();
    Files.writeString(tmp.resolve("work/ckpt/1.json"), "{}");
    assertThat(found.poll(0).watchSignature()).isNotEqualTo(before);

    found.terminate(Duration.ofSeconds(5));
    ProcessPoll end = found.poll(0);
    assertThat(end.state()).isEqualTo(ProcessPoll.State.EXITED);
    assertThat(end.exitCode().getAsInt()).isNotZero();
    waitFor(() -> ProcessHandle.of(grandchild).map(h -> !h.isAlive()).orElse(true));
  }

  @Test
  void terminateEscalatesToKillWhenTermIsIgnored() throws Exception {
    Path ready = tmp.resolve("work/ready");
    DetachedProcess p =
        machine.start(
            new DetachedSpec(
                "stubborn",
                CommandSpec.of(
                    List.of("sh", "-c", "trap '' TERM; touch ready; while :; do sleep 1; done"),
                    Map.of()),
                Optional.empty()));
    waitFor(() -> Files.exists(ready));
    p.terminate(Duration.ofMillis(500));
    ProcessPoll end = p.poll(0);
    assertThat(end.state()).isEqualTo(ProcessPoll.State.EXITED);
    assertThat(end.exitCode()).hasValue(128 + 9);
  }

  @Test
  void aHandleWhosePidWasReusedIsNotRunning() throws Exception {
    DetachedProcess p =
        machine.start(
            new DetachedSpec("short", CommandSpec.of(List.of("true"), Map.of()), Optional.empty()));
    awaitEnd(p);
    Files.delete(tmp.resolve("procs/short/exit"));
    // The same name and pids but other start times: whatever runs under those pids now is not ours.
    ProcHandle h = ProcHandle.parse(p.handle());
    ProcHandle forged =
        new ProcHandle(
            h.name(), ProcessHandle.current().pid(), 1, ProcessHandle.current().pid(), 1);
    Files.writeString(tmp.resolve("procs/short/handle"), forged.text());
    assertThat(newMachine().attach(forged.text()).orElseThrow().poll(0).state())
        .isEqualTo(ProcessPoll.State.LOST);
    assertThat(newMachine().attach(p.handle())).isEmpty();
  }

  static ProcessPoll awaitEnd(DetachedProcess p) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      ProcessPoll poll = p.poll(0);
      if (poll.state() != ProcessPoll.State.RUNNING) {
        return poll;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("process did not end");
  }

  static void waitFor(java.util.function.BooleanSupplier condition) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 30s");
      }
      Thread.sleep(20);
    }
  }

  /** Starts {@code body} on a thread of its own; what it throws is kept in {@code thrown}. */
  static Thread inBackground(Callable<?> body, AtomicReference<Throwable> thrown) {
    Thread t =
        new Thread(
            () -> {
              try {
                body.call();
              } catch (Throwable e) {
                thrown.set(e);
              }
            });
    t.start();
    return t;
  }

  static String readString(Path p) {
    try {
      return Files.readString(p);
    } catch (java.io.IOException e) {
      return "";
    }
  }
}
