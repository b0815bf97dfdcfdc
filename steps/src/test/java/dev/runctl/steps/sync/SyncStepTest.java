package dev.runctl.steps.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runctl.engine.exec.RunResult;
import dev.runctl.steps.testing.SpecRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyncStepTest {
  @TempDir Path project;

  private static List<String> tree(Path root) throws Exception {
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(Files::isRegularFile)
          .map(p -> root.relativize(p).toString())
          .filter(p -> !p.equals(".runctl-manifest"))
          .sorted()
          .toList();
    }
  }

  @Test
  void excludesGitignoreAndRunctlignoreAndKeepsModes() throws Exception {
    SpecRun run = new SpecRun(project);
    run.write("train.py", "print('hi')\n");
    run.write("run.sh", "#!/bin/sh\necho run\n");
    Files.setPosixFilePermissions(
        project.resolve("run.sh"), PosixFilePermissions.fromString("rwxr-x---"));
    run.write("secret.key", "k");
    Files.setPosixFilePermissions(
        project.resolve("secret.key"), PosixFilePermissions.fromString("rw-------"));
    run.write(".gitignore", "*.log\n!keep.log\n/build/\ndata/**/*.bin\n");
    run.write(".runctlignore", "scratch/\n");
    run.write("a.log", "x");
    run.write("logs/keep.log", "kept");
    run.write("build/out.o", "x");
    run.write("src/build/kept.txt", "anchored /build/ does not match here");
    run.write("data/raw/big.bin", "x");
    run.write("data/raw/small.csv", "x");
    run.write("scratch/tmp.txt", "x");
    run.write("sub/.gitignore", "local-only.txt\n");
    run.write("sub/local-only.txt", "x");
    run.write("sub/kept.txt", "x");
    run.write("checkpoints/old.pt", "x");
    RunResult r =
        run.apply(
            """
            version: 1
            name: sync-test
            steps:
              - {id: provision, uses: provision}
              - {id: sync, uses: sync, with: {exclude: ["checkpoints/"]}}
            """);
    run.assertStatus(r, "succeeded");
    Path ws = run.runDir(r.runId()).resolve("workspace");
    assertThat(tree(ws))
        .containsExactly(
            ".gitignore",
            ".runctlignore",
            "data/raw/small.csv",
            "job.yaml",
            "logs/keep.log",
            "run.sh",
            "secret.key",
            "src/build/kept.txt",
            "sub/.gitignore",
            "sub/kept.txt",
            "train.py");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(ws.resolve("run.sh"))))
        .isEqualTo("rwxr-x---");
    assertThat(
            PosixFilePermissions.toString(Files.getPosixFilePermissions(ws.resolve("secret.key"))))
        .isEqualTo("rw-------");
    assertThat(Files.getLastModifiedTime(ws.resolve("train.py")).toMillis())
        .isEqualTo(Files.getLastModifiedTime(project.resolve("train.py")).toMillis());
    assertThat(run.outputs(r.runId(), "sync"))
        .containsEntry("files", "11")
        .containsEntry("files_sent", "11");
  }

  @Test
  void aSecondSyncSendsOnlyTheChangedFileAndPropagatesDeletions() throws Exception {
    SpecRun run = new SpecRun(project);
    for (int i = 0; i < 200; i++) {
      run.write("data/f" + i + ".txt", "content " + i + "\n");
    }
    Path f7 = project.resolve("data/f7.txt");
    Path f8 = project.resolve("data/f8.txt");
    RunResult r =
        run.apply(
            """
            version: 1
            name: resync
            steps:
              - {id: provision, uses: provision}
              - {id: first, uses: sync}
              - id: edit
                uses: run
                with: {command: ["sh", "-c", "echo changed-content > \\"$1\\"; rm \\"$2\\"", "sh", "%s", "%s"]}
              - {id: second, uses: sync}
              - {id: third, uses: sync}
            """
                .formatted(f7, f8));
    run.assertStatus(r, "succeeded");
    assertThat(run.outputs(r.runId(), "first")).containsEntry("files_sent", "201");
    assertThat(run.outputs(r.runId(), "second"))
        .containsEntry("files_sent", "1")
        .containsEntry("files_deleted", "1")
        .containsEntry("files", "200")
        .containsEntry("bytes_sent", Long.toString("changed-content\n".length()));
    assertThat(run.outputs(r.runId(), "third"))
        .containsEntry("files_sent", "0")
        .containsEntry("bytes_sent", "0");
    Path ws = run.runDir(r.runId()).resolve("workspace");
    assertThat(ws.resolve("data/f7.txt")).hasContent("changed-content");
    assertThat(ws.resolve("data/f8.txt")).doesNotExist();
    assertThat(run.outputs(r.runId(), "second").get("manifest_sha256"))
        .isNotEqualTo(run.outputs(r.runId(), "first").get("manifest_sha256"))
        .isEqualTo(run.outputs(r.runId(), "third").get("manifest_sha256"));
  }

  @Test
  void aSymlinkOutsideTheWorkdirIsRefusedAndOneInsideIsCopied() throws Exception {
    SpecRun run = new SpecRun(project);
    Path outside = Files.createTempFile("outside", ".txt");
    run.write("real.txt", "real");
    Files.createSymbolicLink(project.resolve("inside-link.txt"), project.resolve("real.txt"));
    Files.createSymbolicLink(project.resolve("data"), outside);
    String spec =
        """
        version: 1
        name: links
        steps:
          - {id: provision, uses: provision}
          - {id: sync, uses: sync}
        """;
    RunResult r = run.apply(spec);
    run.assertStatus(r, "failed");
    assertThat(run.step(r.runId(), "sync").message())
        .contains("data is a symlink to " + outside.toRealPath())
        .contains("outside the workdir");
    assertThat(run.log(r.runId(), "sync")).contains("exclude");

    run.write(".runctlignore", "data\n");
    RunResult ok = run.apply(spec);
    run.assertStatus(ok, "succeeded");
    assertThat(run.runDir(ok.runId()).resolve("workspace/inside-link.txt")).hasContent("real");
    Files.delete(outside);
  }

  @Test
  void aRequiredPathThatIsExcludedFailsSyncNamingTheFolder() throws Exception {
    SpecRun run = new SpecRun(project);
    run.write("training/train.py", "print('x')\n");
    run.write(".runctlignore", "training/\n");
    RunResult r =
        run.apply(
            """
            version: 1
            name: missing
            steps:
              - {id: provision, uses: provision}
              - {id: sync, uses: sync}
              - {id: train, uses: train, with: {script: training/train.py}}
            """);
    run.assertStatus(r, "failed");
    String message = run.step(r.runId(), "sync").message();
    assertThat(message)
        .contains("training/train.py")
        .contains("looked in " + run.runDir(r.runId()).resolve("workspace"))
        .contains("exists locally but is excluded");
  }

  @Test
  void stateFoldersOfEarlierRunsInTheWorkdirAreNeverSynced() throws Exception {
    // runctl started from the project's parent: its state folder lies outside the workdir, while
    // runs started in the workdir earlier left their own .runctl there, and one --state-dir too
    SpecRun run = new SpecRun(project);
    run.write("proj/train.py", "print('hi')\n");
    run.write("proj/.runctl/runs/old-20260101-000000-abcd/journal.jsonl", "{}\n");
    run.write("proj/.runctl/runs/old-20260101-000000-abcd/venv/bin/python", "x");
    run.write("proj/.runctl/cache/sync/0123.manifest", "x");
    run.write("proj/sub/.runctl/cache/sync/4567.manifest", "x");
    run.write("proj/elsewhere/runs/r-20260101-000000-abcd/journal.jsonl", "{}\n");
    run.write("proj/elsewhere/runs/r-20260101-000000-abcd/artifacts/model.pt", "x");
    run.write("proj/notes/runs/summary.txt", "a folder named runs that holds no run");
    RunResult r =
        run.apply(
            """
            version: 1
            name: state-inside
            workdir: proj
            steps:
              - {id: provision, uses: provision}
              - {id: sync, uses: sync}
            """);
    run.assertStatus(r, "succeeded");
    Path ws = run.runDir(r.runId()).resolve("workspace");
    assertThat(tree(ws)).containsExactly("notes/runs/summary.txt", "train.py");
    assertThat(run.log(r.runId(), "sync"))
        .contains("not synced: runctl state of earlier runs in the workdir")
        .contains(".runctl, elsewhere, sub/.runctl");
  }
}
