package dev.runctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code runctl runs} and {@code status} flag what runs left alive, through the real CLI in
 * separate processes on the local target: a train that outlived a runctl killed with kill -9, a
 * workspace that no teardown removed; a run that ended cleanly shows nothing.
 */
class RunsLiveCheckIT {
  /** Ticks until the file named by its argument exists (or ten minutes pass). */
  private static final String SLOW =
      """
      import os, sys, time
      stop = sys.argv[1]
      for i in range(1200):
          print("tick", i, flush=True)
          if os.path.exists(stop):
              break
          time.sleep(0.5)
      """;

  @TempDir Path dir;
  Runctl runctl;
  Path stop;

  @BeforeEach
  void setUp() throws Exception {
    runctl = new Runctl(dir);
    stop = dir.resolve("stop");
    Files.writeString(dir.resolve("slow.py"), SLOW);
  }

  @AfterEach
  void stopTheTrainEvenWhenATestFailed() throws Exception {
    Files.writeString(stop, "stop");
  }

  @Test
  void aTrainThatOutlivedAKilledRunctlIsFlaggedUntilDestroyAndAFinishedRunIsNot() throws Exception {
    Runctl.Result fine = runctl.run("apply", quick("fine").toString());
    assertThat(fine.exitCode()).as(fine.toString()).isZero();
    String fineId = fine.stdout().lines().findFirst().orElseThrow().substring(4);

    Path spec =
        runctl.spec(
            "leaky.yaml",
            """
            version: 1
            name: leaky
            steps:
              - id: provision
                uses: provision
              - id: sync
                uses: sync
                with: {exclude: ["state/", "out-*", "err-*"]}
              - id: train
                uses: train
                with: {script: slow.py, args: ["%s"]}
              - id: teardown
                uses: teardown
                when: always
            """
                .formatted(stop));
    Runctl.Running apply = runctl.start("apply", spec.toString());
    String id = apply.runId(Duration.ofMinutes(1));
    awaitTick(apply, runctl.runDir(id).resolve("logs/train.log"));
    apply.process.destroyForcibly(); // kill -9: teardown never runs
    assertThat(apply.process.waitFor(30, TimeUnit.SECONDS)).isTrue();

    Runctl.Result runs = runctl.run("runs");
    assertThat(runs.exitCode()).as(runs.toString()).isZero();
    assertThat(runs.stdout().lines().findFirst().orElseThrow()).endsWith("COST  ALIVE");
    assertThat(line(runs.stdout(), id)).contains("interrupted").endsWith("  LEAK");
    assertThat(line(runs.stdout(), fineId)).contains("succeeded").endsWith("  -");
    assertThat(runs.stdout())
        .contains("  still alive: process train-train (pid ")
        .contains("  still alive: workspace " + runctl.runDir(id).resolve("workspace"))
        .contains("  `runctl destroy " + id + "` tears them down, or `runctl resume " + id + "`")
        .contains("1 run still has machines, processes or workspaces alive: " + id + ";");
    assertThat(runs.stderr()).isEmpty();

    Runctl.Result json = runctl.run("runs", "--output", "json");
    assertThat(line(json.stdout(), id))
        .contains("\"liveCheck\":\"alive\"")
        .contains("\"alive\":[\"process train-train (pid ");
    assertThat(line(json.stdout(), fineId))
        .contains("\"liveCheck\":\"none\"")
        .doesNotContain("\"alive\"");
    assertThat(json.stdout()).contains("{\"type\":\"leaks\",\"runIds\":[\"" + id + "\"]");

    Runctl.Result status = runctl.run("status", id);
    assertThat(status.exitCode()).as(status.toString()).isZero();
    assertThat(status.stdout()).contains("  still alive: process train-train (pid ");
    assertThat(runctl.run("status", fineId).stdout()).contains("alive: nothing");

    Runctl.Result offline = runctl.run("runs", "--no-check");
    assertThat(offline.stdout()).doesNotContain("ALIVE").doesNotContain("LEAK");
    assertThat(runctl.run("runs", "--output", "json", "--offline").stdout())
        .doesNotContain("liveCheck");

    Runctl.Result destroyed = runctl.run("destroy", id);
    assertThat(destroyed.exitCode()).as(destroyed.toString()).isZero();
    Runctl.Result after = runctl.run("runs");
    assertThat(line(after.stdout(), id)).endsWith("  -");
    assertThat(after.stdout()).doesNotContain("LEAK").doesNotContain("still alive");
  }

  @Test
  void aProcessARunStepLeftBehindIsFlaggedUntilDestroyStopsIt() throws Exception {
    Path spec =
        runctl.spec(
            "bg.yaml",
            """
            version: 1
            name: bg
            steps:
              - id: bg
                uses: run
                with: {shell: "sleep 300 & echo $! > bg.pid; echo started"}
            """);
    Runctl.Result r = runctl.run("apply", spec.toString());
    assertThat(r.exitCode()).as(r.toString()).isZero();
    String id = r.stdout().lines().findFirst().orElseThrow().substring(4);
    long sleep = Long.parseLong(Files.readString(dir.resolve("bg.pid")).trim());
    try {
      Runctl.Result runs = runctl.run("runs");
      assertThat(line(runs.stdout(), id)).contains("succeeded").endsWith("  LEAK");
      assertThat(runs.stdout())
          .contains("  still alive: process " + sleep + " (sleep 300) left behind by step bg")
          .contains("  `runctl destroy " + id + "` tears it down");
      assertThat(runctl.run("status", id).stdout())
          .contains("  still alive: process " + sleep + " (sleep 300) left behind by step bg");

      Runctl.Result destroyed = runctl.run("destroy", id);
      assertThat(destroyed.exitCode()).as(destroyed.toString()).isZero();
      assertThat(destroyed.stdout()).contains("nothing is left");
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (ProcessHandle.of(sleep).map(ProcessHandle::isAlive).orElse(false)
          && System.nanoTime() < deadline) {
        Thread.sleep(50); // stopped; its reaping by init may take a moment
      }
      assertThat(ProcessHandle.of(sleep).map(ProcessHandle::isAlive).orElse(false)).isFalse();
      assertThat(runctl.run("runs").stdout()).doesNotContain("LEAK");
    } finally {
      ProcessHandle.of(sleep).ifPresent(ProcessHandle::destroyForcibly);
    }
  }

  @Test
  void aWorkspaceThatNoTeardownRemovedIsFlaggedUntilDestroyEvenAfterTheProjectWentAway()
      throws Exception {
    Files.createDirectories(dir.resolve("project"));
    Path spec =
        runctl.spec(
            "project/keep.yaml",
            """
            version: 1
            name: keep
            steps:
              - id: provision
                uses: provision
              - id: work
                uses: run
                with: {command: ["true"]}
            """);
    Runctl.Result r = runctl.run("apply", spec.toString());
    assertThat(r.exitCode()).as(r.toString()).isZero();
    String id = r.stdout().lines().findFirst().orElseThrow().substring(4);
    Runctl.Result runs = runctl.run("runs");
    assertThat(line(runs.stdout(), id)).contains("succeeded").endsWith("  LEAK");
    assertThat(runs.stdout())
        .contains("  still alive: workspace " + runctl.runDir(id).resolve("workspace"))
        .contains("`runctl destroy " + id + "` tears it down");

    // the project is deleted (or moved): destroy needs only the target of the frozen spec
    Files.delete(spec);
    Files.delete(spec.getParent());
    Runctl.Result destroyed = runctl.run("destroy", id);
    assertThat(destroyed.exitCode()).as(destroyed.toString()).isZero();
    assertThat(runctl.runDir(id).resolve("workspace")).doesNotExist();
    assertThat(runctl.run("runs").stdout()).doesNotContain("LEAK");
  }

  private Path quick(String name) throws Exception {
    return runctl.spec(
        name + ".yaml",
        """
        version: 1
        name: %s
        steps:
          - id: one
            uses: run
            with: {command: ["true"]}
        """
            .formatted(name));
  }

  /** The line of {@code text} that starts with {@code runId}. */
  static String line(String text, String runId) {
    List<String> found =
        text.lines().filter(l -> l.startsWith(runId) || l.contains("\"" + runId + "\"")).toList();
    assertThat(found).as("the line of " + runId + " in\n" + text).isNotEmpty();
    return found.get(0);
  }

  private static void awaitTick(Runctl.Running runctl, Path log) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    while (!(Files.exists(log) && Files.readString(log).contains("tick"))) {
      if (!runctl.process.isAlive() || System.nanoTime() > deadline) {
        throw new AssertionError("no tick in " + log + "\n" + runctl.stdout() + runctl.stderr());
      }
      Thread.sleep(50);
    }
  }
}
