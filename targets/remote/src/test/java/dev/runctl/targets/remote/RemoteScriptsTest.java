package dev.runctl.targets.remote;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The host scripts run by bash on this machine, against real processes. */
class RemoteScriptsTest {
  @TempDir Path dir;

  /**
   * A process group that ignores SIGTERM is killed after the grace period, and the exit code is
   * recorded when its wrapper died without doing so, whichever way the target wrote the wrapper's
   * pid (aws: "pid", ssh: "pid start-time").
   */
  @ParameterizedTest
  @ValueSource(strings = {"%d", "%d 12345"})
  void terminateStopsAStubbornGroupAndRecordsAnExitCode(String wrapperPid) throws Exception {
    Process stubborn =
        new ProcessBuilder("setsid", "sh", "-c", "trap '' TERM; sleep 300 & wait").start();
    Process deadWrapper = new ProcessBuilder("true").start();
    deadWrapper.waitFor();
    Files.writeString(dir.resolve("pid"), stubborn.pid() + "\n");
    Files.writeString(dir.resolve("wrapper.pid"), String.format(wrapperPid, deadWrapper.pid()));

    String script = "D='" + dir + "'\nGRACE=1\n" + RemoteScripts.terminate();
    Process bash = new ProcessBuilder("bash", "-c", script).redirectErrorStream(true).start();
    String out = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(bash.waitFor(60, TimeUnit.SECONDS)).isTrue();

    assertThat(out).contains("@@terminated");
    assertThat(stubborn.waitFor(10, TimeUnit.SECONDS)).as("the group was killed").isTrue();
    assertThat(Files.readString(dir.resolve("exit_code")).trim()).isEqualTo("137");
  }

  @Test
  void withoutAProcessThereIsNothingToStop() throws Exception {
    String script = "D='" + dir + "'\nGRACE=1\n" + RemoteScripts.terminate();
    Process bash = new ProcessBuilder(List.of("bash", "-c", script)).start();
    assertThat(bash.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(bash.exitValue()).isZero();
    assertThat(dir.resolve("exit_code")).doesNotExist();
  }
}
