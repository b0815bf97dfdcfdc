package dev.runctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What runctl says about a state folder or a project that changed under a run, through the real
 * CLI: damaged and half-made runs in `runs`, a journal record of an unknown type, files or a
 * workdir gone before a resume, and a spec edited before a resume.
 */
class StateFaultsIT {
  private static final String UNKNOWN =
      "{\"type\":\"checkpoint_moved\",\"at\":\"2026-01-01T00:00:00Z\",\"to\":\"kept/\"}\n";

  @TempDir Path dir;
  Runctl runctl;
  Path project;
  Path marker;

  @BeforeEach
  void setUp() throws Exception {
    runctl = new Runctl(dir);
    project = Files.createDirectories(dir.resolve("proj"));
    marker = dir.resolve("gate-open");
  }

  /** A run that fails at its gate until {@link #marker} exists. */
  private Path spec(String extraSteps) throws Exception {
    return Files.writeString(
        project.resolve("job.yaml"),
        """
        version: 1
        name: gated
        target: {provider: local}
        steps:
          - id: gate
            uses: run
            with: {command: ["test", "-f", "%s"]}
        %s"""
            .formatted(marker, extraSteps));
  }

  private String failedRun(Path spec) throws Exception {
    Runctl.Result r = runctl.run("apply", spec.toString());
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
    return r.runId();
  }

  @Test
  void runsShowsDamagedAndHalfMadeRunsWithWhatToDo() throws Exception {
    Path spec = spec("");
    String damaged = failedRun(spec);
    String good = failedRun(spec);
    Path journal = runctl.runDir(damaged).resolve("journal.jsonl");
    List<String> lines = new ArrayList<>(Files.readAllLines(journal));
    lines.set(1, "{\"type\":\"attempt_sta");
    Files.write(journal, lines);
    Files.writeString(
        runctl.runDir(good).resolve("journal.jsonl"), UNKNOWN, StandardOpenOption.APPEND);
    // what an apply on a full disk leaves: a folder without journal, or with an empty one
    Path halfMade = Files.createDirectories(runctl.runDir("gated-20260101-000000-abcd"));
    Files.createDirectories(halfMade.resolve("logs"));
    Path empty = Files.createDirectories(runctl.runDir("gated-20260102-000000-abcd"));
    Files.writeString(empty.resolve("spec.yaml"), "version: 1\n");
    Files.createFile(empty.resolve("journal.jsonl"));

    Runctl.Result r = runctl.run("runs", "--no-check");
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.stdout())
        .containsPattern(damaged + "\\s+gated\\s+damaged")
        .contains("journal.jsonl line 2 is damaged")
        .containsPattern(good + "\\s+gated\\s+failed")
        .containsPattern("gated-20260101-000000-abcd\\s+gated\\s+incomplete\\s+2026-01-01 00:00:00")
        .containsPattern("gated-20260102-000000-abcd\\s+gated\\s+incomplete\\s+2026-01-02 00:00:00")
        .contains("rm -r " + halfMade)
        .contains("rm -r " + empty)
        .doesNotContain("1970")
        .doesNotContain("1970-01-01")
        .doesNotContain("499042h")
        .doesNotContain("StreamReadFeature");
    assertThat(r.stderr()).doesNotContain("cannot read run");

    Runctl.Result status = runctl.run("status", "gated-20260102-000000-abcd", "--no-check");
    assertThat(status.exitCode()).as(status.toString()).isEqualTo(2);
    assertThat(status.stdout() + status.stderr())
        .contains("run gated-20260102-000000-abcd is incomplete")
        .contains("rm -r " + empty)
        .doesNotContain("1970");

    Runctl.Result json = runctl.run("--output", "json", "runs", "--no-check");
    assertThat(json.stdout())
        .containsPattern("\"runId\":\"" + damaged + "\".*\"status\":\"damaged\".*\"line\":2")
        .containsPattern("\"runId\":\"gated-20260102-000000-abcd\".*\"status\":\"incomplete\"");
  }

  @Test
  void aCompleteRecordOfAnUnknownTypeIsKeptOnResumeAndWarnedAbout() throws Exception {
    String id = failedRun(spec(""));
    Path journal = runctl.runDir(id).resolve("journal.jsonl");
    Files.writeString(journal, UNKNOWN, StandardOpenOption.APPEND);
    Files.createFile(marker);
    Runctl.Result r = runctl.run("resume", id);
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.stdout() + r.stderr())
        .contains("checkpoint_moved")
        .contains("journal.jsonl:")
        .doesNotContain("torn");
    assertThat(Files.readString(journal, StandardCharsets.UTF_8)).contains(UNKNOWN);
  }

  @Test
  void resumeSaysWhichFilesAreMissingOrThatTheWorkdirMoved() throws Exception {
    Files.writeString(project.resolve("train.py"), "print('trained')\n");
    String id =
        failedRun(
            spec(
                """
                  - id: train
                    uses: train
                    needs: [gate]
                    with: {script: train.py}
                """));
    Files.delete(project.resolve("train.py"));
    Runctl.Result missing = runctl.run("resume", id);
    assertThat(missing.exitCode()).as(missing.toString()).isEqualTo(2);
    assertThat(missing.stderr())
        .contains("files run " + id + " needs are missing from its workdir")
        .contains("train.py")
        .contains("restore them")
        .doesNotContain("may not match");

    Files.writeString(project.resolve("train.py"), "print('trained')\n");
    Files.move(project, dir.resolve("moved"));
    Runctl.Result moved = runctl.run("resume", id);
    assertThat(moved.exitCode()).as(moved.toString()).isEqualTo(2);
    assertThat(moved.stderr())
        .contains(project + ", is gone (moved or deleted)")
        .contains("move the project back to " + project)
        .contains("runctl apply")
        .doesNotContain("may not match");
  }

  @Test
  void resumeWarnsThatItRunsTheFrozenSpecNotTheEditedFile() throws Exception {
    Path spec = spec("");
    String id = failedRun(spec);
    String original = Files.readString(spec);
    Files.writeString(spec, "# edited after the run began\n", StandardOpenOption.APPEND);
    Files.createFile(marker);
    Runctl.Result r = runctl.run("resume", id);
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.stdout())
        .contains("the spec file " + spec + " was edited since run " + id + " began")
        .contains(runctl.runDir(id).resolve("spec.yaml").toString())
        .contains("runctl apply " + spec);
    Files.writeString(spec, original);
    Runctl.Result unchanged = runctl.run("resume", id);
    assertThat(unchanged.stdout() + unchanged.stderr()).doesNotContain("was edited");
  }

  @Test
  void resumeSaysTheWorkdirIsGoneWhenTheSpecNamesOneThatMoved() throws Exception {
    Path data = Files.createDirectories(dir.resolve("data"));
    Path spec =
        Files.writeString(
            project.resolve("job.yaml"),
            """
            version: 1
            name: gated
            workdir: ../data
            target: {provider: local}
            steps:
              - id: gate
                uses: run
                with: {command: ["test", "-f", "%s"]}
            """
                .formatted(marker));
    String id = failedRun(spec);
    Files.move(data, dir.resolve("data-moved"));
    Runctl.Result r = runctl.run("resume", id);
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
    assertThat(r.stderr())
        .contains("the workdir of run " + id + " is gone (moved or deleted)")
        .contains("move it back")
        .doesNotContain("may not match");
  }
}
