package dev.runctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code include:} syncs what {@code .gitignore} leaves out; {@code plan} and the sync log say what
 * is left out that a step names or that is large, with the glob that includes it.
 */
class SyncIncludeIT {
  @TempDir Path dir;
  Runctl runctl;
  Path project;

  @BeforeEach
  void setUp() throws Exception {
    runctl = new Runctl(dir);
    project = Files.createDirectories(dir.resolve("project"));
    Files.writeString(project.resolve(".gitignore"), "data/\ncache/\n*.bin\nconfigs/local.yaml\n");
    Files.createDirectories(project.resolve("data/small"));
    Files.writeString(project.resolve("data/small/a.txt"), "a\n");
    Files.writeString(project.resolve("data/other.txt"), "other\n");
    Files.createDirectories(project.resolve("configs"));
    Files.writeString(project.resolve("configs/local.yaml"), "lr: 0.1\n");
    Files.writeString(project.resolve("model.bin"), "weights\n");
    Files.writeString(project.resolve("train.py"), "print('hi')\n");
    Files.createDirectories(project.resolve("cache"));
    // 150 MB as the folder's size says, sparse on disk
    try (RandomAccessFile f =
        new RandomAccessFile(project.resolve("cache/huge.bin").toFile(), "rw")) {
      f.setLength(150_000_000L);
    }
  }

  private Path spec(String syncWith) throws Exception {
    return Files.writeString(
        project.resolve("job.yaml"),
        """
        version: 1
        name: include
        steps:
          - {id: provision, uses: provision}
          - id: sync
            uses: sync
            with: %s
          - id: train
            uses: train
            with: {script: train.py, args: ["--config", "configs/local.yaml", "--lr=0.1"]}
        """
            .formatted(syncWith));
  }

  @Test
  void planSaysWhatIsLeftOutThatAStepNamesOrThatIsLargeAndHowToIncludeIt() throws Exception {
    Runctl.Result plan = runctl.run("plan", spec("{}").toString());
    assertThat(plan.exitCode()).as(plan.toString()).isZero();
    assertThat(plan.stderr())
        .contains(
            "job.yaml:10:49:"
                + " warning: step 'train' names 'configs/local.yaml', which sync leaves out"
                + " (.gitignore: configs/local.yaml)")
        .contains("add include: [\"configs/local.yaml\"] to the sync step's with:")
        .contains("warning: sync leaves out cache/ (more than 100 MB; .gitignore: cache/)")
        .contains("add include: [\"/cache/\"]")
        .doesNotContain("train.py'")
        .doesNotContain("data/");

    Runctl.Result included =
        runctl.run(
            "plan", spec("{include: [\"configs/local.yaml\"], exclude: [cache/]}").toString());
    assertThat(included.exitCode()).as(included.toString()).isZero();
    assertThat(included.stderr()).doesNotContain("leaves out");
    assertThat(included.stdout()).containsPattern("include +configs/local.yaml");
  }

  @Test
  void includedPathsAreSyncedEvenWhenIgnoredAndTheSyncLogSaysWhatIsLeftOut() throws Exception {
    Files.writeString(
        project.resolve("job.yaml"),
        """
        version: 1
        name: include
        steps:
          - {id: provision, uses: provision}
          - id: sync
            uses: sync
            with: {include: ["/data/small/", "configs/*.yaml"]}
          - id: check
            uses: run
            with:
              shell: >-
                test -f data/small/a.txt && test -f configs/local.yaml && test -f train.py
                && test ! -e data/other.txt && test ! -e model.bin && test ! -e cache
        """);
    Runctl.Result applied = runctl.run("apply", project.resolve("job.yaml").toString());
    assertThat(applied.exitCode()).as(applied.toString()).isZero();
    Runctl.Result log = runctl.run("logs", applied.runId(), "sync");
    assertThat(log.stdout())
        .contains("left out: sync leaves out cache/ (more than 100 MB; .gitignore: cache/)")
        .contains("to sync it: if a step reads it, add include: [\"/cache/\"]");
  }

  @Test
  void theSchemaDeclaresInclude() throws Exception {
    Runctl.Result schema = runctl.run("schema");
    assertThat(schema.exitCode()).isZero();
    assertThat(schema.stdout()).contains("\"include\"").contains("even when exclude, .gitignore");
  }

  @Test
  void aSecretFileThatSyncWouldCopyIsRefusedByPlanUntilSyncLeavesItOut() throws Exception {
    Files.writeString(project.resolve("hf.token"), "hf_0123456789abcdef\n");
    Path spec =
        Files.writeString(
            project.resolve("job.yaml"),
            """
            version: 1
            name: secretfile
            secrets:
              HF_TOKEN: {file: hf.token}
            steps:
              - {id: provision, uses: provision}
              - {id: sync, uses: sync, with: %s}
              - {id: train, uses: train, with: {script: train.py}}
            """
                .formatted("{}"));
    Runctl.Result refused = runctl.run("plan", spec.toString());
    assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(2);
    assertThat(refused.stderr())
        .contains("job.yaml:4:3: error: secret HF_TOKEN's file 'hf.token' is inside the workdir")
        .contains("add \"hf.token\" to .gitignore or to the sync step's exclude:")
        .doesNotContain("hf_0123456789abcdef");
    assertThat(refused.stdout()).doesNotContain("hf_0123456789abcdef");

    Files.writeString(
        spec, Files.readString(spec).replace("with: {}", "with: {exclude: [hf.token]}"));
    Runctl.Result excluded = runctl.run("plan", spec.toString());
    assertThat(excluded.exitCode()).as(excluded.toString()).isZero();
    assertThat(excluded.stderr()).doesNotContain("hf.token");
  }
}
