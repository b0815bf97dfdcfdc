package dev.runctl.targets.local;

import static dev.runctl.targets.local.LocalMachineProcessTest.readString;
import static dev.runctl.targets.local.LocalMachineProcessTest.waitFor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runctl.engine.spi.ErrorClass;
import dev.runctl.engine.spi.ExecResult;
import dev.runctl.engine.spi.StepException;
import dev.runctl.engine.testing.RecordingLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The process runner with its spawn helper (the default) and without it (the JVM starts every
 * command through setsid): both must behave the same way.
 */
class ProcessRunnerTest {
  @TempDir Path tmp;
  private final List<ProcessRunner> runners = new ArrayList<>();

  @AfterEach
  void closeRunners() {
    runners.forEach(ProcessRunner::close);
  }

  private int logs;

  private RecordingLog newLog() {
    return new RecordingLog(tmp.resolve("logs/" + (++logs) + ".log"));
  }

  private ProcessRunner runner(boolean helper) {
    ProcessRunner r = new ProcessRunner(Duration.ofSeconds(2), helper);
    runners.add(r);
    return r;
  }

  @ParameterizedTest(name = "helper={0}")
  @ValueSource(booleans = {true, false})
  void everyCommandLeadsItsOwnSessionAndProcessGroup(boolean helper) throws Exception {
    RecordingLog log = newLog();
    ExecResult r =
        runner(helper)
            .run(
                List.of(
                    "python3",
                    "-c",
                    "import os; print('session', os.getsid(0) == os.getpid(),"
                        + " os.getpgid(0) == os.getpid())"),
                Map.of(),
                tmp,
                log);
    assertThat(r.exitCode()).isZero();
    assertThat(log.text()).contains("session True True");
  }

  @ParameterizedTest(name = "helper={0}")
  @ValueSource(booleans = {true, false})
  void commandsStartWithDefaultSignalsAndNoInput(boolean helper) throws Exception {
    RecordingLog log = newLog();
    // bash's `trap` lists inherited ignored signals too: Python's SIG_IGN for PIPE must not leak.
    ExecResult r =
        runner(helper).run(List.of("bash", "-c", "trap; cat; echo done"), Map.of(), tmp, log);
    assertThat(r.exitCode()).isZero();
    if (helper) {
      // the helper resets every signal to its default, whatever runctl itself inherited
      assertThat(log.text()).isEqualTo("done\n");
    } else {
      // without it the command inherits what the JVM inherited (runctl started by `nohup cmd &`
      // ignores SIGHUP and SIGINT): only signals this JVM ignores may be listed
      assertThat(log.text()).endsWith("done\n");
      for (String line : log.text().lines().filter(l -> l.startsWith("trap")).toList()) {
        String signal = line.replaceAll(".* SIG", "");
        assertThat(ignoredHere()).as(line).contains(signal);
      }
    }
  }

  /** The names of the signals this JVM ignores, from /proc/self/status's SigIgn mask. */
  private static List<String> ignoredHere() throws IOException {
    String mask =
        Files.readAllLines(Path.of("/proc/self/status")).stream()
            .filter(l -> l.startsWith("SigIgn:"))
            .findFirst()
            .orElseThrow()
            .substring("SigIgn:".length())
            .trim();
    long bits = Long.parseUnsignedLong(mask, 16);
    List<String> names =
        List.of(
            "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1", "SEGV",
            "USR2", "PIPE", "ALRM", "TERM");
    List<String> ignored = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      if ((bits & (1L << i)) != 0) {
        ignored.add(names.get(i));
      }
    }
    return ignored;
  }

  @ParameterizedTest(name = "helper={0}")
  @ValueSource(booleans = {true, false})
  void exitCodesNamesAndEnvironmentAreThoseOfTheCommand(boolean helper) throws Exception {
    ProcessRunner runner = runner(helper);
    RecordingLog log = newLog();
    assertThat(runner.run(List.of("sh", "-c", "kill -9 $$"), Map.of(), tmp, log).exitCode())
        .isEqualTo(137);
    ExecResult missing = runner.run(List.of("no-such-program-x"), Map.of(), tmp, log);
    assertThat(missing.exitCode()).isEqualTo(127);
    assertThat(missing.tail()).contains("no-such-program-x");
    Files.writeString(tmp.resolve("notexec"), "echo hi\n");
    assertThat(runner.run(List.of("./notexec"), Map.of(), tmp, log).exitCode()).isEqualTo(126);
    // An executable script without #! runs with sh, as execvp runs it.
    Files.writeString(tmp.resolve("noshebang"), "echo \"no shebang $1\"\n");
    tmp.resolve("noshebang").toFile().setExecutable(true);
    RecordingLog sh = newLog();
    assertThat(runner.run(List.of("./noshebang", "ok"), Map.of(), tmp, sh).exitCode()).isZero();
    assertThat(sh.text()).isEqualTo("no shebang ok\n");
    // PATH from the command's environment decides which program runs, as with execvp.
    Path bin = Files.createDirectories(tmp.resolve("bin"));
    Files.writeString(bin.resolve("hello-x"), "#!/bin/sh\necho \"hi $WHO\"\n");
    bin.resolve("hello-x").toFile().setExecutable(true);
    RecordingLog out = newLog();
    ExecResult r =
        runner.run(
            List.of("hello-x"),
            Map.of("PATH", bin + ":" + System.getenv("PATH"), "WHO", "there"),
            tmp,
            out);
    assertThat(r.exitCode()).isZero();
    assertThat(out.text()).isEqualTo("hi there\n");
  }

  @Test
  void outputOfParallelCommandsReachesEachItsOwnLogWhole() throws Exception {
    ProcessRunner runner = runner(true);
    int n = 4;
    RecordingLog[] logs = new RecordingLog[n];
    Thread[] threads = new Thread[n];
    AtomicReference<Throwable> failed = new AtomicReference<>();
    for (int i = 0; i < n; i++) {
      int k = i;
      logs[i] = newLog();
      threads[i] =
          new Thread(
              () -> {
                try {
                  runner.run(
                      List.of(
                          "python3",
                          "-c",
                          "import sys; sys.stdout.write(('" + k + "' * 99 + '\\n') * 20000)"),
                      Map.of(),
                      tmp,
                      logs[k]);
                } catch (Throwable e) {
                  failed.set(e);
                }
              });
      threads[i].start();
    }
    for (Thread t : threads) {
      t.join(60_000);
    }
    assertThat(failed.get()).isNull();
    for (int i = 0; i < n; i++) {
      assertThat(logs[i].text()).isEqualTo((Integer.toString(i).repeat(99) + "\n").repeat(20000));
    }
  }

  @Test
  void theHelperStopsItsCommandsWhenRunctlGoesAway() throws Exception {
    ProcessRunner runner = runner(true);
    Path pidFile = tmp.resolve("child.pid");
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread t =
        new Thread(
            () -> {
              try {
                runner.run(
                    List.of("sh", "-c", "sleep 300 & echo $! > child.pid; wait"),
                    Map.of(),
                    tmp,
                    newLog());
              } catch (Throwable e) {
                thrown.set(e);
              }
            });
    t.start();
    waitFor(() -> Files.exists(pidFile) && !readString(pidFile).isBlank());
    long child = Long.parseLong(readString(pidFile).trim());
    long helperPid = runner.helperPid().orElseThrow();
    // What kill -9 of runctl does to the helper: its stdin closes.
    runner.close();
    waitFor(() -> ProcessHandle.of(child).map(h -> !h.isAlive()).orElse(true));
    waitFor(() -> ProcessHandle.of(helperPid).map(h -> !h.isAlive()).orElse(true));
    t.join(20_000);
    assertThat(thrown.get())
        .isInstanceOf(StepException.class)
        .hasMessageContaining("process-spawn helper")
        .hasMessageContaining("was stopped as runctl stopped");
    // The next command gets a new helper.
    assertThat(runner.run(List.of("true"), Map.of(), tmp, newLog()).exitCode()).isZero();
  }

  @ParameterizedTest(name = "helper={0}")
  @ValueSource(booleans = {true, false})
  void trivialCommandsNeverStall(boolean helper) throws Exception {
    ProcessRunner runner = runner(helper);
    for (int i = 0; i < 30; i++) {
      RecordingLog log = newLog();
      long t0 = System.nanoTime();
      ExecResult r = runner.run(List.of("echo", "hi"), Map.of(), tmp, log);
      Duration took = Duration.ofNanos(System.nanoTime() - t0);
      assertThat(r.exitCode()).isZero();
      assertThat(log.output()).isEqualTo("hi\n");
      assertThat(took)
          .as("echo hi number %d (a stall took 7 s)", i)
          .isLessThan(Duration.ofSeconds(5));
    }
  }

  @ParameterizedTest(name = "helper={0}")
  @ValueSource(booleans = {true, false})
  void aBackgroundChildHoldingTheOutputDoesNotHoldTheStep(boolean helper) throws Exception {
    RecordingLog log = newLog();
    long t0 = System.nanoTime();
    ExecResult r =
        runner(helper)
            .run(
                List.of("sh", "-c", "sleep 120 & echo $! > bg.pid; echo started"),
                Map.of(),
                tmp,
                log);
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(4));
    assertThat(r.exitCode()).isZero();
    assertThat(log.output()).isEqualTo("started\n");
    if (helper) { // the JDK closes a process's pipe at its exit: only the helper sees who holds it
      assertThat(log.lines()).contains("still hold its output open").contains("sleep 120");
    }
    long bg = Long.parseLong(readString(tmp.resolve("bg.pid")).trim());
    // left for the run's teardown to stop (RunProcesses): still there, and ended here by hand
    assertThat(ProcessHandle.of(bg).map(ProcessHandle::isAlive)).contains(true);
    ProcessHandle.of(bg).ifPresent(ProcessHandle::destroyForcibly);
  }

  @Test
  void aKilledHelperEndsTheAttemptAsAnInterruptionAndItsCommandWithIt() throws Exception {
    ProcessRunner runner = runner(true);
    Path pidFile = tmp.resolve("child.pid");
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread t =
        new Thread(
            () -> {
              try {
                runner.run(
                    List.of("sh", "-c", "sleep 300 & echo $! > child.pid; wait"),
                    Map.of(),
                    tmp,
                    newLog());
              } catch (Throwable e) {
                thrown.set(e);
              }
            });
    t.start();
    waitFor(() -> Files.exists(pidFile) && !readString(pidFile).isBlank());
    long child = Long.parseLong(readString(pidFile).trim());
    long helperPid = runner.helperPid().orElseThrow();
    // What the kernel's OOM killer does to the helper.
    ProcessHandle.of(helperPid).orElseThrow().destroyForcibly();
    t.join(30_000);
    assertThat(t.isAlive()).isFalse();
    assertThat(thrown.get()).isInstanceOf(StepException.class);
    StepException e = (StepException) thrown.get();
    assertThat(e.errorClass()).isEqualTo(ErrorClass.INTERRUPTION);
    assertThat(e.retryable()).isTrue();
    assertThat(e.getMessage())
        .contains("process-spawn helper (pid " + helperPid + ") was killed by signal 9")
        .doesNotContain("IOException");
    assertThat(e.hint().orElseThrow()).doesNotContain("PATH");
    waitFor(() -> ProcessHandle.of(child).map(h -> !h.isAlive()).orElse(true));
    // The next command gets a new helper.
    assertThat(runner.run(List.of("true"), Map.of(), tmp, newLog()).exitCode()).isZero();
  }

  /**
   * The helper is killed after it started the command but before its report of the pid reached
   * runctl (seen once under load): a helper that never reports pids stands for that instant. The
   * command is found by the call's token in its environment, and its group stopped all the same.
   */
  @Test
  void aHelperKilledBeforeItReportedThePidStillTakesItsCommandDown() throws Exception {
    String script = SpawnHelper.script();
    String report = "emit(b\"P %s %d\\n\" % (cid, pid))";
    assertThat(script).contains(report);
    SpawnHelper helper =
        SpawnHelper.start(
            SpawnHelper.python(), Duration.ofSeconds(2), script.replace(report, "pass"));
    assertThat(helper.awaitReady(Duration.ofSeconds(10))).isTrue();
    Path pidFile = tmp.resolve("child.pid");
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread t =
        new Thread(
            () -> {
              try {
                new HelperCommand(helper, runner(false))
                    .run(
                        List.of(
                            "sh", "-c", "sleep 300 & echo $! > child.pid; echo $$ > sh.pid; wait"),
                        Map.of(),
                        tmp,
                        newLog());
              } catch (Throwable e) {
                thrown.set(e);
              }
            });
    t.start();
    long child = 0;
    long sh = 0;
    try {
      waitFor(
          () ->
              Files.exists(tmp.resolve("sh.pid")) && !readString(tmp.resolve("sh.pid")).isBlank());
      child = Long.parseLong(readString(pidFile).trim());
      sh = Long.parseLong(readString(tmp.resolve("sh.pid")).trim());
      ProcessHandle.of(helper.pid()).orElseThrow().destroyForcibly();
      t.join(30_000);
      assertThat(t.isAlive()).isFalse();
      assertThat(thrown.get()).isInstanceOf(StepException.class);
      assertThat(((StepException) thrown.get()).errorClass()).isEqualTo(ErrorClass.INTERRUPTION);
      assertThat(thrown.get().getMessage())
          .contains("(pid " + sh + ") ran; runctl stopped the command's process group");
      long c = child;
      long s = sh;
      waitFor(() -> ProcessHandle.of(c).map(h -> !h.isAlive()).orElse(true));
      waitFor(() -> ProcessHandle.of(s).map(h -> !h.isAlive()).orElse(true));
    } finally {
      for (long pid : new long[] {child, sh}) {
        if (pid > 0) {
          ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
      }
      helper.close();
    }
  }

  @Test
  void aMissingWorkingFolderIsNamed() {
    assertThatThrownBy(
            () -> runner(true).run(List.of("true"), Map.of(), tmp.resolve("gone"), newLog()))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("working folder")
        .hasMessageContaining("gone");
  }

  /** A command that ignores SIGTERM (so does its child, which inherits the ignored signal). */
  private static final List<String> STUBBORN =
      List.of("sh", "-c", "trap '' TERM; echo ready; sleep 120; echo never");

  @ParameterizedTest(name = "helper={0}")
  @ValueSource(booleans = {true, false})
  void aSecondInterruptCutsTheGracePeriodShort(boolean helper) throws Exception {
    ProcessRunner runner = new ProcessRunner(Duration.ofMinutes(2), helper);
    runners.add(runner);
    RecordingLog log = newLog();
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread t =
        new Thread(
            () -> {
              try {
                runner.run(STUBBORN, Map.of(), tmp, log);
              } catch (Throwable e) {
                thrown.set(e);
              }
            });
    t.start();
    awaitOutput(log, "ready");

    t.interrupt(); // first Ctrl+C: SIGTERM, which the command ignores; the grace period runs
    t.join(1500);
    assertThat(t.isAlive()).as("still in the two-minute grace period").isTrue();

    long second = System.nanoTime();
    t.interrupt(); // second Ctrl+C: SIGKILL now
    t.join(Duration.ofSeconds(30).toMillis());
    assertThat(t.isAlive()).isFalse();
    assertThat(Duration.ofNanos(System.nanoTime() - second)).isLessThan(Duration.ofSeconds(30));
    assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
    assertThat(log.text()).doesNotContain("never");
  }

  @Test
  void stopGroupKeepsTheCallersInterruptStatus() throws Exception {
    ProcessRunner runner = runner(false);
    long pid = runner.spawnDetached(List.of("sleep", "60"), Map.of(), tmp);
    Thread.currentThread().interrupt();
    runner.stopGroup(pid, Duration.ofSeconds(10), () -> ProcessRunner.startTime(pid).isEmpty());
    assertThat(Thread.interrupted()).isTrue();
    assertThat(ProcessRunner.startTime(pid)).isEmpty();
  }

  private static void awaitOutput(RecordingLog log, String text) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!log.text().contains(text)) {
      assertThat(System.nanoTime()).as("output '" + text + "' within 30s").isLessThan(deadline);
      Thread.sleep(20);
    }
  }
}
