package dev.runctl.targets.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.runctl.engine.testing.RecordingLog;
import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process start that meets the descriptor limit closes nothing it does not own. The JDK's own
 * start, failing to make its pipes, closes descriptor 0 twice (the second time whatever another
 * thread opened there, a step log in the case seen); {@link JvmSpawn} does not let it get there.
 */
class JvmSpawnTest {
  @TempDir Path tmp;

  /**
   * The command is started in a JVM of its own under {@code prlimit}, traced by strace: before the
   * fix the trace showed the JDK's failed {@code pipe2} and then {@code close} of descriptors such
   * as 1952802674 or 0 (whatever its uninitialised memory held).
   */
  @Test
  void aStartAtTheDescriptorLimitFailsAsTooManyOpenFilesAndClosesNothingItDoesNotOwn()
      throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/prlimit")), "prlimit is not installed");
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/strace")), "strace is not installed");
    String java = ProcessHandle.current().info().command().orElse("java");
    Path trace = tmp.resolve("trace");
    ProcessBuilder pb =
        new ProcessBuilder(
            "/usr/bin/strace",
            "-f",
            "-e",
            "trace=close,pipe2",
            "-o",
            trace.toString(),
            "/usr/bin/prlimit",
            "--nofile=" + LIMIT,
            java,
            "-cp",
            System.getProperty("java.class.path"),
            Probe.class.getName(),
            tmp.toString());
    pb.redirectErrorStream(true);
    Process p = pb.start(); // its stdin, descriptor 0, is a pipe from here that stays open
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(out).contains("start failed: cannot start true:").contains("Too many open files");
    assertThat(out).contains("descriptor 0 open: true");
    List<String> lines = Files.readAllLines(trace);
    assertThat(lines).noneMatch(l -> l.contains("pipe2(") && l.contains("EMFILE"));
    assertThat(lines)
        .noneMatch(
            l -> {
              Matcher m = CLOSE.matcher(l);
              return m.find() && Long.parseLong(m.group(1)) >= LIMIT;
            });
    p.getOutputStream().close();
  }

  private static final int LIMIT = 200;
  private static final Pattern CLOSE = Pattern.compile("close\\((\\d+)\\)");

  @Test
  void theLimitIsReadFromProcLimits() throws IOException {
    Path limits = tmp.resolve("limits");
    Files.writeString(
        limits,
        """
        Limit                     Soft Limit           Hard Limit           Units
        Max open files            66                   1048576              files
        """);
    assertThat(JvmSpawn.limit(limits)).hasValue(66);
    Files.writeString(limits, "Max open files            unlimited            unlimited   files\n");
    assertThat(JvmSpawn.limit(limits)).isEmpty();
    assertThat(JvmSpawn.limit(tmp.resolve("absent"))).isEmpty();
  }

  /** Runs in a JVM of its own: uses up all descriptors but one, then starts a command. */
  public static final class Probe {
    public static void main(String[] args) throws Exception {
      ProcessRunner runner = new ProcessRunner(Duration.ofSeconds(1), false);
      RecordingLog log = new RecordingLog(null);
      runner.run(List.of("true"), Map.of(), Path.of(args[0]), log); // loads what a start needs
      List<FileInputStream> held = new ArrayList<>();
      try {
        while (true) {
          held.add(new FileInputStream("/dev/null"));
        }
      } catch (IOException e) {
        held.remove(held.size() - 1).close(); // one free: the first pipe cannot be made
      }
      try {
        runner.run(List.of("true"), Map.of(), Path.of(args[0]), log);
        System.out.println("started");
      } catch (UncheckedIOException e) {
        System.out.println("start failed: " + e.getMessage());
      }
      System.out.println("descriptor 0 open: " + new File("/proc/self/fd/0").exists());
      for (FileInputStream in : held) {
        in.close();
      }
    }
  }
}
