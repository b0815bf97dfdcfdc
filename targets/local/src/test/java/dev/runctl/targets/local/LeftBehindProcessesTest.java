package dev.runctl.targets.local;

import static dev.runctl.targets.local.LocalMachineProcessTest.readString;
import static dev.runctl.targets.local.LocalMachineProcessTest.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

import dev.runctl.engine.spi.CommandSpec;
import dev.runctl.engine.spi.DetachedProcess;
import dev.runctl.engine.spi.DetachedSpec;
import dev.runctl.engine.spi.ExecResult;
import dev.runctl.engine.spi.Machine;
import dev.runctl.engine.spi.MemoryFacts;
import dev.runctl.engine.spi.ProcessPoll;
import dev.runctl.engine.spi.Target;
import dev.runctl.engine.testing.RecordingLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Processes a step leaves behind (a `run` step's {@code sleep 120 &}, a training's child in a
 * session of its own, even one that dropped its environment) are listed as alive for the run and
 * stopped by its teardown; a detached process's output copy holds no secret.
 */
class LeftBehindProcessesTest {
  // The target finds a run's processes on the whole machine by its id: the ids are this JVM's own,
  // so that the same tests run at once by another JVM are not taken for these runs' processes.
  private static final String BG_RUN = LocalTargetTest.runId("r-bg");
  private static final String TRAIN_RUN = LocalTargetTest.runId("r-train");
  private static final String SECRET_RUN = LocalTargetTest.runId("r-secret");

  @TempDir Path tmp;
  private final MemoryFacts facts = new MemoryFacts();
  private final List<Long> started = new ArrayList<>();

  @AfterEach
  void killWhatIsLeft() {
    started.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
  }

  private Target open(String runId) throws Exception {
    Files.createDirectories(tmp.resolve("work"));
    return LocalTargetTest.open(tmp, runId, facts);
  }

  private static Map<String, String> stepEnv(String runId, String step) {
    return Map.of("RUNCTL_RUN_ID", runId, "RUNCTL_STEP_ID", step);
  }

  private long pidIn(String file) throws Exception {
    Path p = tmp.resolve("work").resolve(file);
    waitFor(() -> Files.exists(p) && readString(p).endsWith("\n"));
    long pid = Long.parseLong(readString(p).trim());
    started.add(pid);
    return pid;
  }

  private static boolean exited(DetachedProcess p) {
    try {
      return p.poll(Long.MAX_VALUE).state() == ProcessPoll.State.EXITED;
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  private static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  @Test
  void aBackgroundProcessOfARunStepIsListedAndStoppedByTheTeardown() throws Exception {
    Target target = open(BG_RUN);
    Machine m = target.machine();
    RecordingLog log = new RecordingLog(tmp.resolve("logs/bg.log"));
    long t0 = System.nanoTime();
    ExecResult r =
        m.exec(
            CommandSpec.of(
                List.of("sh", "-c", "sleep 120 & echo $! > bg.pid; echo started"),
                stepEnv(BG_RUN, "bg")),
            log);
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(4));
    assertThat(r.exitCode()).isZero();
    long sleep = pidIn("bg.pid");
    assertThat(alive(sleep)).isTrue();

    assertThat(open(BG_RUN).liveResources())
        .containsExactly("process " + sleep + " (sleep 120) left behind by step bg");
    assertThat(open("other-run").liveResources()).isEmpty();

    RecordingLog teardown = new RecordingLog(tmp.resolve("logs/teardown.log"));
    open(BG_RUN).destroy(teardown);
    assertThat(teardown.text()).contains("stopping process " + sleep + " (sleep 120)");
    waitFor(() -> !alive(sleep));
    assertThat(open(BG_RUN).liveResources()).isEmpty();
  }

  @Test
  void aTrainingsChildInASessionOfItsOwnIsFoundEvenWithoutItsEnvironment() throws Exception {
    Target target = open(TRAIN_RUN);
    RecordingLog log = new RecordingLog(tmp.resolve("logs/train.log"));
    Machine m = target.provision(log);
    // One child keeps the environment, the other starts with an empty one: only the supervisor's
    // records find that one.
    String script =
        """
        import subprocess, sys
        code = "import time; time.sleep(120)"
        a = subprocess.Popen([sys.executable, "-c", code], start_new_session=True)
        b = subprocess.Popen([sys.executable, "-c", code], start_new_session=True, env={})
        open("kids.pid", "w").write("%d %d\\n" % (a.pid, b.pid))
        print("started", flush=True)
        """;
    DetachedProcess p =
        m.start(
            new DetachedSpec(
                "train-train",
                CommandSpec.of(List.of("python3", "-c", script), stepEnv(TRAIN_RUN, "train")),
                Optional.empty()));
    waitFor(() -> exited(p));
    Path kids = tmp.resolve("run/workspace/kids.pid");
    waitFor(() -> Files.exists(kids) && readString(kids).endsWith("\n"));
    String[] two = readString(kids).trim().split(" ");
    long a = Long.parseLong(two[0]);
    long b = Long.parseLong(two[1]);
    started.add(a);
    started.add(b);
    assertThat(alive(a) && alive(b)).isTrue();

    assertThat(open(TRAIN_RUN).liveResources())
        .anySatisfy(
            s ->
                assertThat(s)
                    .startsWith("process " + a + " (")
                    .endsWith("python3 -c import time; time.sleep(120)) left behind by step train"))
        .anySatisfy(s -> assertThat(s).startsWith("process " + b + " ").endsWith("step train"));

    open(TRAIN_RUN).destroy(new RecordingLog(tmp.resolve("logs/teardown.log")));
    waitFor(() -> !alive(a) && !alive(b));
    assertThat(open(TRAIN_RUN).liveResources()).isEmpty();
  }

  @Test
  void theOutputCopyOfADetachedProcessHoldsNoSecretEvenOneSplitAcrossWrites() throws Exception {
    Target target = open(SECRET_RUN);
    Machine m = target.provision(new RecordingLog(tmp.resolve("logs/p.log")));
    String secret = "tok-3f9a8c7e1b52";
    String script =
        """
        import os, sys, time
        t = os.environ["TOKEN"]
        print("whole:", t, flush=True)
        sys.stdout.write("split: " + t[:7]); sys.stdout.flush(); time.sleep(0.4)
        sys.stdout.write(t[7:] + " end\\n"); sys.stdout.flush()
        print("mask var given to the command:", "RUNCTL_MASK" in os.environ, flush=True)
        sys.stdout.write("tail " + t[:5]); sys.stdout.flush()
        """;
    DetachedProcess p =
        m.start(
            new DetachedSpec(
                "train-train",
                CommandSpec.of(List.of("python3", "-c", script), Map.of("TOKEN", secret)),
                Optional.empty(),
                List.of(secret)));
    waitFor(() -> exited(p));
    String out = Files.readString(tmp.resolve("run/procs/train-train/output.log"));
    assertThat(out)
        .doesNotContain(secret)
        .contains("whole: ***\n")
        .contains("split: *** end\n")
        .contains("mask var given to the command: False\n")
        .endsWith("tail " + secret.substring(0, 5));
    assertThat(new String(p.poll(0).output(), java.nio.charset.StandardCharsets.UTF_8))
        .isEqualTo(out);
  }
}
