package dev.runctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import org.junit.jupiter.api.Test;

/** What the CLI says when the machine, not runctl, ran out of something outside any step. */
class MachineErrorsTest {

  private static String report(Exception e) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    ErrorHandler.report(
        e, new Output(Output.Mode.TEXT, new PrintWriter(out), new PrintWriter(err)), false);
    return out + err.toString();
  }

  @Test
  void noFileDescriptorsLeftIsNotCalledAnInternalError() {
    String said =
        report(
            new UncheckedIOException(
                new FileSystemException(
                    "/state/runs/x/state.json.tmp", null, "Too many open files")));
    assertThat(said)
        .contains("Too many open files")
        .contains("ulimit -n")
        .doesNotContain("internal error")
        .doesNotContain("bug in runctl");
  }

  @Test
  void aFullDiskNamesTheFileSystemToFree() {
    String said =
        report(
            new UncheckedIOException(
                new FileSystemException(
                    "/state/runs/x/logs/a.log", null, "No space left on device")));
    assertThat(said)
        .contains("No space left on device")
        .contains("free space on the file system that holds /state/runs/x/logs")
        .doesNotContain("internal error");
  }
}
