package dev.runctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** apply, resume, status, cancel through the real CLI in a separate process, local target. */
class RunCommandsIT {
  @TempDir Path dir;
  Runctl runctl;

  @BeforeEach
  void setUp() {
    runctl = new Runctl(dir);
  }

  @Test
  void aDiamondRunsItsBranchesInParallel() throws Exception {
    Path spec =
        runctl.spec(
            "diamond.yaml",
            """
            version: 1
            name: diamond
            steps:
              - id: a
                uses: run
                with: {command: ["touch", "a.done"]}
              - id: b
                uses: run
                needs: [a]
                timeout: 30s
                with: {shell: "touch b.started; while [ ! -f c.started ]; do sleep 0.05; done"}
              - id: c
                uses: run
                needs: [a]
                timeout: 30s
                with: {shell: "touch c.started; while [ ! -f b.started ]; do sleep 0.05; done"}
              - id: d
                uses: run
                needs: [b, c]
                with: {command: ["touch", "d.done"]}
            """);
    Runctl.Result r = runctl.run("apply", spec.toString(), "--parallelism", "2");
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.stdout()).startsWith("run diamond-");
    assertThat(dir.resolve("d.done")).exists();
  }

  @Test
  void retriesBackOffAndStopAtMaxAttempts() throws Exception {
    Path spec =
        runctl.spec(
            "flaky.yaml",
            """
            version: 1
            name: flaky
            steps:
              - id: flaky
                uses: run
                retry: {max_attempts: 3, initial_interval: 1s, backoff_coefficient: 2, on: [failure]}
                with: {shell: "echo x >> attempts.txt; exit 1"}
            """);
    Runctl.Result r = runctl.run("apply", spec.toString());
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
    assertThat(Files.readAllLines(dir.resolve("attempts.txt"))).hasSize(3);
    String runId = r.stdout().lines().findFirst().orElseThrow().substring(4);
    List<Instant> starts = attemptStarts(runId, "flaky");
    assertThat(starts).hasSize(3);
    assertThat(Duration.between(starts.get(0), starts.get(1)))
        .isGreaterThan(Duration.ofMillis(700));
    assertThat(Duration.between(starts.get(1), starts.get(2)))
        .isGreaterThan(Duration.ofMillis(1400));
    Runctl.Result status = runctl.run("status", "--output", "json", runId);
    assertThat(status.stdout()).contains("\"step\":\"flaky\",\"status\":\"failed\",\"attempts\":3");
  }

  @Test
  void aTimeoutKillsTheWholeProcessTree() throws Exception {
    Path spec =
        runctl.spec(
            "slow.yaml",
            """
            version: 1
            name: slow
            steps:
              - id: slow
                uses: run
                timeout: 2s
                with: {shell: "sleep 300 & echo $! > child.pid; sleep 300"}
            """);
    Runctl.Result r = runctl.run("apply", spec.toString());
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
    assertThat(r.stdout()).contains("timeout of 2s");
    long child = Long.parseLong(Files.readString(dir.resolve("child.pid")).trim());
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false)
        && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertThat(ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false))
        .as("the background child of the timed-out step")
        .isFalse();
  }

  @Test
  void outputsFlowSkipsPropagateAndAlwaysRunsAfterAFailure() throws Exception {
    Path spec =
        runctl.spec(
            "chain.yaml",
            """
            version: 1
            name: chain
            steps:
              - id: produce
                uses: run
                with: {shell: "echo model=m-1 >> $RUNCTL_OUTPUT"}
              - id: consume
                uses: run
                with: {command: ["sh", "-c", "echo \\"$1\\" > consumed.txt", "sh", "${{ steps.produce.outputs.model }}"]}
              - id: fail
                uses: run
                with: {command: ["false"]}
              - id: skipped1
                uses: run
                with: {command: ["touch", "never1"]}
              - id: skipped2
                uses: run
                with: {command: ["touch", "never2"]}
              - id: cleanup
                uses: run
                when: always
                with: {command: ["touch", "cleaned"]}
            """);
    Runctl.Result r = runctl.run("apply", spec.toString());
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
    assertThat(Files.readString(dir.resolve("consumed.txt")).trim()).isEqualTo("m-1");
    assertThat(dir.resolve("never1")).doesNotExist();
    assertThat(dir.resolve("never2")).doesNotExist();
    assertThat(dir.resolve("cleaned")).exists();
    assertThat(r.stdout())
        .contains("skipped1 skipped: needs 'fail', which failed")
        .contains("skipped2 skipped: needs 'skipped1', which was skipped")
        .contains("cleanup succeeded");
  }

  static final String LONG =
      """
      version: 1
      name: long
      steps:
        - id: long
          uses: run
          with: {shell: "touch long.started; sleep 300"}
        - id: after
          uses: run
          with: {command: ["touch", "after.done"]}
        - id: cleanup
          uses: run
          when: always
          with: {command: ["touch", "cleaned"]}
      """;

  @Test
  void cancelStopsTheRunRunsAlwaysStepsAndExits130() throws Exception {
    Path spec = runctl.spec("long.yaml", LONG);
    Runctl.Running apply = runctl.start("apply", spec.toString());
    String runId = apply.runId(Duration.ofSeconds(30));
    waitFor(dir.resolve("long.started"));
    Runctl.Result cancel = runctl.run("cancel", runId);
    assertThat(cancel.exitCode()).as(cancel.toString()).isZero();
    assertThat(cancel.stdout()).contains("asked pid " + apply.pid());
    Runctl.Result r = apply.await(Duration.ofSeconds(60));
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(130);
    assertThat(dir.resolve("cleaned")).exists();
    assertThat(dir.resolve("after.done")).doesNotExist();
    Runctl.Result status = runctl.run("status", runId);
    assertThat(status.stdout()).contains("cancelled").containsPattern("long\\s+cancelled");
  }

  @Test
  void ctrlCStopsTheRunRunsAlwaysStepsAndExits130() throws Exception {
    Path spec = runctl.spec("long.yaml", LONG);
    Runctl.Running apply = runctl.start("apply", spec.toString());
    apply.runId(Duration.ofSeconds(30));
    waitFor(dir.resolve("long.started"));
    new ProcessBuilder("kill", "-INT", Long.toString(apply.pid())).start().waitFor();
    Runctl.Result r = apply.await(Duration.ofSeconds(60));
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(130);
    assertThat(dir.resolve("cleaned")).exists();
    assertThat(r.stdout()).contains("cancelled by SIGINT");
  }

  @Test
  void sighupToRunctlsProcessGroupStopsTheRunLikeCtrlCAndJournalsItsEnd() throws Exception {
    Path spec = runctl.spec("long.yaml", LONG);
    List<String> cmd = new java.util.ArrayList<>(List.of("setsid"));
    cmd.addAll(runctl.command("apply", spec.toString()));
    Runctl.Running apply = runctl.startCommand(cmd);
    String runId = apply.runId(Duration.ofSeconds(30));
    waitFor(dir.resolve("long.started"));
    new ProcessBuilder("kill", "-HUP", "--", "-" + apply.pid()).start().waitFor();
    Runctl.Result r = apply.await(Duration.ofSeconds(60));
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(130);
    assertThat(r.stdout()).contains("cancelled by SIGHUP (the terminal closed)");
    assertThat(dir.resolve("cleaned")).exists();
    assertThat(runctl.runDir(runId).resolve("journal.jsonl"))
        .content()
        .contains("\"type\":\"run_ended\"");
    Runctl.Result status = runctl.run("status", runId);
    assertThat(status.stdout()).contains("cancelled").containsPattern("long\\s+cancelled");
  }

  @Test
  void aSecondResumeOfALiveRunExits3AtOnceNamingTheHolder() throws Exception {
    Runctl.Result baseline = runctl.run("--version");
    Path spec = runctl.spec("long.yaml", LONG);
    Runctl.Running apply = runctl.start("apply", spec.toString());
    String runId = apply.runId(Duration.ofSeconds(30));
    waitFor(dir.resolve("long.started"));
    long t0 = System.nanoTime();
    Runctl.Result second = runctl.run("resume", runId);
    Duration took = Duration.ofNanos(System.nanoTime() - t0);
    long t1 = System.nanoTime();
    runctl.run("--version");
    Duration jvm = Duration.ofNanos(System.nanoTime() - t1);
    assertThat(baseline.exitCode()).isZero();
    assertThat(second.exitCode()).as(second.toString()).isEqualTo(3);
    assertThat(second.stderr()).contains("pid " + apply.pid()).contains("runctl cancel " + runId);
    assertThat(took)
        .as("resume of a locked run, beside a JVM start of %s", jvm)
        .isLessThan(jvm.plusSeconds(1));
    runctl.run("cancel", runId);
    assertThat(apply.await(Duration.ofSeconds(60)).exitCode()).isEqualTo(130);
  }

  @Test
  void twoAppliesOfOneRunIdAtOnceGiveTheLosersTheLocksAnswerNeverExists() throws Exception {
    Path spec = runctl.spec("long.yaml", LONG);
    for (int round = 1; round <= 3; round++) {
      String id = "long-20260101-00000" + round + "-abcd";
      Runctl.Running a = runctl.start("apply", spec.toString(), "--run-id", id);
      Runctl.Running b = runctl.start("apply", spec.toString(), "--run-id", id);
      Runctl.Running winner = null;
      Runctl.Result loser = null;
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (loser == null && System.nanoTime() < deadline) {
        if (!a.process.isAlive()) {
          loser = a.await(Duration.ofSeconds(1));
          winner = b;
        } else if (!b.process.isAlive()) {
          loser = b.await(Duration.ofSeconds(1));
          winner = a;
        }
        Thread.sleep(20);
      }
      assertThat(loser).as("one of the two applies ends at once").isNotNull();
      assertThat(loser.exitCode()).as(loser.toString()).isEqualTo(3);
      assertThat(loser.stderr())
          .contains("is held by another live runctl process (pid " + winner.pid())
          .doesNotContain("exists already");
      assertThat(winner.process.isAlive()).isTrue();
      assertThat(runctl.run("cancel", id, "--wait").exitCode()).isZero();
      assertThat(winner.await(Duration.ofSeconds(60)).exitCode()).isEqualTo(130);
      Files.deleteIfExists(dir.resolve("long.started"));
    }
  }

  @Test
  void logsFollowsARunningStepUntilTheRunEnds() throws Exception {
    Path spec =
        runctl.spec(
            "talk.yaml",
            """
            version: 1
            name: talk
            steps:
              - id: talk
                uses: run
                with: {shell: "for i in 1 2 3 4 5 6; do echo tick $i; sleep 0.3; done"}
            """);
    Runctl.Running apply = runctl.start("apply", spec.toString());
    String runId = apply.runId(Duration.ofSeconds(30));
    Runctl.Result follow = runctl.run("logs", runId, "talk", "--follow");
    assertThat(follow.exitCode()).as(follow.toString()).isZero();
    assertThat(follow.stdout()).contains("tick 1").contains("tick 6");
    assertThat(apply.await(Duration.ofSeconds(60)).exitCode()).isZero();
    Runctl.Result unknown = runctl.run("logs", runId, "nope");
    assertThat(unknown.exitCode()).isEqualTo(2);
    assertThat(unknown.stderr()).contains("has no step 'nope'").contains("talk");
    Runctl.Result missing = runctl.run("status", "nope-20260101-000000-0000");
    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(missing.stderr())
        .contains("no run 'nope-20260101-000000-0000'")
        .contains("runctl runs");
  }

  @Test
  void logsPrintsA24MegabyteLogWholeInASmallHeapAsTextJsonAndFollow() throws Exception {
    Path spec =
        runctl.spec(
            "big.yaml",
            """
            version: 1
            name: big
            steps:
              - id: big
                uses: run
                with: {shell: "seq -f '%078g' 1 300000"}
            """);
    Runctl.Result apply = runctl.run("apply", spec.toString());
    assertThat(apply.exitCode()).as(apply.toString()).isZero();
    String runId = apply.runId();
    int size = (int) Files.size(runctl.runDir(runId).resolve("logs/big.log"));
    assertThat(size).isGreaterThan(23_000_000);
    runctl.env("JAVA_TOOL_OPTIONS", "-Xmx24m");
    String last = String.format("%078d", 300_000);

    Runctl.Result text = runctl.run("logs", runId, "big");
    assertThat(text.exitCode()).as(text.stderr()).isZero();
    assertThat(text.stdout().length()).isEqualTo(size);
    assertThat(text.stdout()).contains(last + "\n").endsWith("attempt 1 succeeded\n");

    Runctl.Result json = runctl.run("logs", "--output", "json", runId, "big");
    assertThat(json.exitCode()).as(json.stderr()).isZero();
    List<String> lines = json.stdout().lines().toList();
    assertThat(lines).hasSizeGreaterThan(300_000);
    assertThat(lines.get(lines.size() - 2)).endsWith("\"line\":\"" + last + "\"}");

    Runctl.Result follow = runctl.run("logs", runId, "big", "--follow");
    assertThat(follow.exitCode()).as(follow.stderr()).isZero();
    assertThat(follow.stdout()).isEqualTo(text.stdout());

    Runctl.Result all = runctl.run("logs", runId);
    assertThat(all.stdout()).startsWith("==> big <==\n").hasSize(size + 12);

    Runctl.Result tail = runctl.run("logs", runId, "big", "--tail", "3");
    assertThat(tail.exitCode()).as(tail.stderr()).isZero();
    assertThat(tail.stdout().lines().toList())
        .hasSize(3)
        .startsWith(String.format("%078d", 299_999), last)
        .last()
        .asString()
        .endsWith("attempt 1 succeeded");
    Runctl.Result tailJson = runctl.run("logs", "--output=json", runId, "big", "-n", "2");
    assertThat(tailJson.stdout().lines().toList())
        .hasSize(2)
        .first()
        .asString()
        .endsWith("\"line\":\"" + last + "\"}");
    assertThat(runctl.run("logs", runId, "big", "--tail", "0").stdout()).isEmpty();
    Runctl.Result negative = runctl.run("logs", runId, "big", "--tail=-1");
    assertThat(negative.exitCode()).isEqualTo(2);
    assertThat(negative.stderr()).contains("--tail takes a number of lines, 0 or more");
  }

  @Test
  void resumeStopsWithExit4WhenInputsOfSucceededStepsChangedUnlessRerunChanged() throws Exception {
    Path project = Files.createDirectories(dir.resolve("project"));
    Files.writeString(project.resolve("data.txt"), "v1\n");
    Path spec =
        runctl.spec(
            "project/job.yaml",
            """
            version: 1
            name: changed
            steps:
              - id: sync
                uses: sync
              - id: check
                uses: run
                with: {shell: "test -f ok"}
            """);
    Runctl.Result first = runctl.run("apply", spec.toString());
    assertThat(first.exitCode()).as(first.toString()).isEqualTo(1);
    String runId = first.stdout().lines().findFirst().orElseThrow().substring(4);
    Files.writeString(project.resolve("ok"), "");
    Runctl.Result changed = runctl.run("resume", runId);
    assertThat(changed.exitCode()).as(changed.toString()).isEqualTo(4);
    assertThat(changed.stderr()).contains("step 'sync'").contains("--rerun-changed");
    Runctl.Result rerun = runctl.run("resume", runId, "--rerun-changed");
    assertThat(rerun.exitCode()).as(rerun.toString()).isZero();
    assertThat(rerun.stdout()).contains("sync succeeded").contains("check succeeded");
  }

  @Test
  void jsonOutputIsOneObjectPerLineWithTypeAndRunId() throws Exception {
    Path spec =
        runctl.spec(
            "tiny.yaml",
            """
            version: 1
            name: tiny
            steps:
              - id: one
                uses: run
                with: {command: ["true"]}
            """);
    Runctl.Result r = runctl.run("apply", "--output", "json", spec.toString());
    assertThat(r.exitCode()).as(r.toString()).isZero();
    List<String> lines = r.stdout().lines().toList();
    assertThat(lines.get(0)).startsWith("{\"type\":\"run\",\"runId\":\"tiny-");
    assertThat(lines)
        .allSatisfy(l -> assertThat(l).startsWith("{\"type\":\"").contains("\"runId\":\""));
    // the run's end, then the report it wrote: the last two lines
    assertThat(lines.get(lines.size() - 2))
        .contains("\"type\":\"run_ended\"")
        .contains("\"status\":\"succeeded\"");
    assertThat(lines.get(lines.size() - 1)).contains("\"type\":\"report\"").contains("report.html");
    Runctl.Result runs = runctl.run("runs", "--output", "json");
    assertThat(runs.stdout()).contains("\"type\":\"run\"").contains("\"status\":\"succeeded\"");
  }

  @Test
  void jsonEventsOfApplyAndResumeMaskSecretOutputs() throws Exception {
    runctl.env("TOKEN", "tok-s3cr3t-1234");
    Path spec =
        runctl.spec(
            "secret.yaml",
            """
            version: 1
            name: secret
            steps:
              - id: early
                uses: run
                with: {shell: "echo early=$TOKEN >> $RUNCTL_OUTPUT; echo inherited $TOKEN"}
              - id: login
                uses: run
                env: {TOKEN: "${{ env.TOKEN }}"}
                with: {shell: "echo tok=$TOKEN >> $RUNCTL_OUTPUT"}
              - id: use
                uses: run
                with: {shell: "test -f go"}
            """);
    Runctl.Result first = runctl.run("apply", "--output", "json", spec.toString());
    assertThat(first.exitCode()).as(first.toString()).isEqualTo(1);
    assertThat(first.stdout())
        .contains("\"step\":\"login\",\"status\":\"succeeded\"")
        .contains("\"outputs\":{\"tok\":\"***\"}")
        .as("a step before the one that references the variable, which inherits it")
        .contains("\"outputs\":{\"early\":\"***\"}")
        .doesNotContain("tok-s3cr3t-1234");
    String runId = jsonRunId(first.stdout());
    Files.writeString(dir.resolve("go"), "");

    Runctl.Result resumed = runctl.run("resume", "--output", "json", runId);

    assertThat(resumed.exitCode()).as(resumed.toString()).isZero();
    assertThat(resumed.stdout())
        .as("login runs again (its output held a secret) and its step_ended is masked")
        .contains("\"outputs\":{\"tok\":\"***\"}")
        .doesNotContain("tok-s3cr3t-1234");
    try (var files = Files.walk(runctl.runDir(runId).resolve("logs"))) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        assertThat(Files.readString(f)).as(f.toString()).doesNotContain("tok-s3cr3t-1234");
      }
    }
    assertThat(runctl.runDir(runId).resolve("journal.jsonl"))
        .content()
        .doesNotContain("tok-s3cr3t-1234");
    assertThat(runctl.run("status", "--output", "json", runId).stdout())
        .doesNotContain("tok-s3cr3t-1234");
  }

  private static String jsonRunId(String stdout) {
    String first = stdout.substring(0, stdout.indexOf('\n'));
    int i = first.indexOf("\"runId\":\"") + 9;
    return first.substring(i, first.indexOf('"', i));
  }

  private List<Instant> attemptStarts(String runId, String step) throws Exception {
    Pattern p =
        Pattern.compile(
            "\"type\":\"attempt_started\",\"at\":\"([^\"]+)\",\"step\":\"" + step + "\"");
    return Files.readAllLines(runctl.runDir(runId).resolve("journal.jsonl")).stream()
        .map(p::matcher)
        .filter(Matcher::find)
        .map(m -> Instant.parse(m.group(1)))
        .toList();
  }

  static void waitFor(Path file) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!Files.exists(file)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(file + " did not appear");
      }
      Thread.sleep(20);
    }
  }
}
