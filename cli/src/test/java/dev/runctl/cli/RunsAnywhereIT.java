package dev.runctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs found from any folder: the index of runs in $XDG_STATE_HOME/runctl, unique prefixes, {@code
 * latest} and no id, ambiguous prefixes, moved and deleted project folders.
 */
class RunsAnywhereIT {
  @TempDir Path dir;

  private Runctl in(Path folder) {
    // no --state-dir: the default .runctl of the folder the runctl starts in
    return new Runctl(dir).env("RUNCTL_STATE_DIR", ".runctl").from(folder);
  }

  private static String spec(String name) {
    return """
        version: 1
        name: %s
        steps:
          - {id: hello, uses: run, with: {shell: "echo hello from %s"}}
        """
        .formatted(name, name);
  }

  @Test
  void runsAreFoundFromAnyFolderByPrefixOrLatest() throws Exception {
    Path proj = Files.createDirectories(dir.resolve("proj"));
    Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
    Files.writeString(proj.resolve("alpha.yaml"), spec("alpha"));
    Files.writeString(proj.resolve("beta.yaml"), spec("beta"));
    Runctl p = in(proj);
    String a1 = p.run("apply", "alpha.yaml").runId();
    String a2 = p.run("apply", "alpha.yaml").runId();
    Runctl.Result b = p.run("apply", "beta.yaml");
    assertThat(b.exitCode()).as(b.toString()).isZero();
    String b1 = b.runId();
    assertThat(a1).startsWith("alpha-");
    assertThat(a2).startsWith("alpha-");

    // in the project: no id and `latest` are the newest run
    Runctl.Result st = p.run("status");
    assertThat(st.exitCode()).as(st.toString()).isZero();
    assertThat(st.stdout()).contains("run " + b1);
    assertThat(p.run("logs", "latest").stdout()).contains("hello from beta");

    // elsewhere: this folder has no runs; --all has them all, with their folders
    Runctl e = in(elsewhere);
    Runctl.Result none = e.run("runs", "--no-check");
    assertThat(none.exitCode()).isZero();
    assertThat(none.stderr()).contains("no runs in").contains("runctl runs --all");
    Runctl.Result all = e.run("runs", "--all", "--no-check");
    assertThat(all.exitCode()).as(all.toString()).isZero();
    assertThat(all.stdout())
        .contains(a1, a2, b1)
        .contains("in " + proj.resolve(".runctl").resolve("runs").resolve(b1));
    assertThat(all.stdout().indexOf(b1)).isLessThan(all.stdout().indexOf(a1));

    // a unique prefix from elsewhere; an ambiguous one lists the matches
    Runctl.Result byPrefix = e.run("status", "bet", "--no-check");
    assertThat(byPrefix.exitCode()).as(byPrefix.toString()).isZero();
    assertThat(byPrefix.stdout()).contains("run " + b1);
    assertThat(e.run("logs", "bet").stdout()).contains("hello from beta");
    Runctl.Result ambiguous = e.run("status", "alpha");
    assertThat(ambiguous.exitCode()).isEqualTo(2);
    assertThat(ambiguous.stderr())
        .contains("'alpha' names 2 runs", a1, a2, "give more of the run id");
    Runctl.Result latestElsewhere = e.run("status", "latest");
    assertThat(latestElsewhere.exitCode()).isEqualTo(2);
    assertThat(latestElsewhere.stderr()).contains("no runs in this project").contains("runs --all");
    assertThat(latestElsewhere.stderr()).doesNotContain("Exception");

    // the project moved: its old lines are skipped; listing it in its new place indexes it again
    Path moved = Files.move(proj, dir.resolve("moved"));
    Runctl.Result afterMove = e.run("runs", "--all", "--no-check");
    assertThat(afterMove.exitCode()).as(afterMove.toString()).isZero();
    assertThat(afterMove.stdout()).doesNotContain(b1);
    assertThat(e.run("status", "bet").exitCode()).isEqualTo(2);
    assertThat(in(moved).run("runs", "--no-check").stdout()).contains(b1);
    Runctl.Result found = e.run("status", "bet", "--no-check");
    assertThat(found.exitCode()).as(found.toString()).isZero();
    assertThat(e.run("runs", "--all", "--no-check").stdout())
        .contains("in " + moved.resolve(".runctl").resolve("runs").resolve(b1));

    // a deleted run folder is left out
    deleteTree(moved.resolve(".runctl").resolve("runs").resolve(a1));
    Runctl.Result afterDelete = e.run("runs", "--all", "--no-check");
    assertThat(afterDelete.exitCode()).isZero();
    assertThat(afterDelete.stdout()).doesNotContain(a1).contains(a2);
  }

  @Test
  void latestWithNoProjectFailsClearly() throws Exception {
    Runctl.Result r = in(Path.of("/")).run("status", "latest");
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
    assertThat(r.stderr())
        .contains("no runs in this project (/.runctl)")
        .contains("`runctl runs --all`");
  }

  private static void deleteTree(Path p) throws Exception {
    try (var s = Files.walk(p)) {
      for (Path x : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(x);
      }
    }
  }
}
