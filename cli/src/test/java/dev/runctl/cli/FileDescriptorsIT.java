package dev.runctl.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * runctl under a small limit of open files ({@code prlimit --nofile=N}): wherever it runs out (a
 * sync's walk, a step's log, a process start), it says "Too many open files" and which limit to
 * raise, never an internal error. The limit at which that happens depends on the JVM, so the test
 * walks up from a limit too small to start a JVM until runs get far enough to meet it.
 */
class FileDescriptorsIT {
  @TempDir Path dir;

  @Test
  void runningOutOfFileDescriptorsIsSaidAsSuchWithTheLimitToRaise() throws Exception {
    assumeTrue(
        Files.isExecutable(Path.of("/usr/bin/prlimit")), "prlimit (util-linux) is not installed");
    StringBuilder spec =
        new StringBuilder(
            """
            version: 1
            name: fds
            target: {provider: local}
            steps:
              - {id: provision, uses: provision}
              - {id: sync, uses: sync, with: {exclude: ["state/", "out-*.txt", "err-*.txt"]}}
            """);
    for (int i = 0; i < 16; i++) {
      spec.append(
          "  - {id: s%d, uses: run, needs: [sync], with: {shell: \"echo %d\"}}\n".formatted(i, i));
    }
    Runctl plain = new Runctl(dir);
    Path file = plain.spec("job.yaml", spec.toString());
    int met = 0;
    boolean started = false;
    for (int limit = 64; limit <= 640 && met < 3; limit += started ? 2 : 8) {
      Runctl runctl = new Runctl(dir).wrappedIn("/usr/bin/prlimit", "--nofile=" + limit);
      Runctl.Result r = runctl.run("apply", file.toString(), "--parallelism", "8");
      if (!r.stdout().startsWith("run ")) {
        continue; // the JVM itself could not start under this limit
      }
      started = true;
      String all = r.stdout() + r.stderr();
      // a descriptor the JDK closed without owning it (see JvmSpawn) showed as a log's
      assertThat(all).as(r.toString()).doesNotContain("Bad file descriptor");
      if (all.contains("Too many open files") || all.contains("error=24")) {
        met++;
        assertThat(all).as(r.toString()).doesNotContain("internal error");
        assertThat(all).as(r.toString()).contains("ulimit -n");
        assertThat(all).as(r.toString()).doesNotContain("a transient error");
      } else if (r.exitCode() == 0) {
        break; // enough descriptors from here on
      }
    }
    assertThat(met).as("a limit at which runctl started but ran out of descriptors").isPositive();
  }
}
