package dev.runctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runctl.engine.ErrorCategory;
import dev.runctl.engine.state.RunStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exit codes are decided in one place, from a failure's category. */
class ExitCodesTest {
  @TempDir Path dir;

  @Test
  void everyCategoryHasTheDocumentedCode() {
    Map<ErrorCategory, Integer> codes = new EnumMap<>(ErrorCategory.class);
    for (ErrorCategory c : ErrorCategory.values()) {
      codes.put(c, ErrorHandler.exitCode(c));
    }
    assertThat(codes)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                ErrorCategory.USAGE, 2,
                ErrorCategory.ENVIRONMENT, 1,
                ErrorCategory.RUN_FAILED, 1,
                ErrorCategory.LOCKED, 3,
                ErrorCategory.CHANGED_INPUTS, 4,
                ErrorCategory.INTERRUPTED, 130,
                ErrorCategory.STATE, 5));
    assertThat(ErrorHandler.exitCode(RunStatus.SUCCEEDED)).isZero();
    assertThat(ErrorHandler.exitCode(RunStatus.FAILED)).isEqualTo(1);
    assertThat(ErrorHandler.exitCode(RunStatus.CANCELLED)).isEqualTo(130);
  }

  @Test
  void aStateFolderThatCannotBeWrittenExits5Not2() throws IOException {
    Path spec =
        Files.writeString(
            dir.resolve("job.yaml"),
            "version: 1\nname: tiny\nsteps:\n  - {id: s, uses: run, with: {command: [\"true\"]}}\n");
    Path state = Files.createDirectories(dir.resolve("state"));
    Files.writeString(state.resolve("runs"), "a file where the runs folder should be");
    CliRun run =
        CliRun.with(
            Components.standard(), "--state-dir", state.toString(), "apply", spec.toString());
    assertThat(run.exitCode()).as(run.err()).isEqualTo(5);
    assertThat(run.err())
        .contains("error: cannot create the run folder")
        .contains("hint: check that --state-dir")
        .doesNotContain("\tat ");
  }

  @Test
  void aDamagedJournalExits5() throws IOException {
    Path run = dir.resolve("runs/tiny-20261206-120000-0a0b");
    Files.createDirectories(run);
    Files.writeString(run.resolve("journal.jsonl"), "not json\n{\"also\": \"not a record\"}\n");
    CliRun status =
        CliRun.with(
            Components.standard(),
            "--state-dir",
            dir.toString(),
            "status",
            "tiny-20261206-120000-0a0b");
    assertThat(status.exitCode()).as(status.err()).isEqualTo(5);
    assertThat(status.err()).contains("the journal is damaged");
  }

  @Test
  void noJdkExceptionLeavesACommandUntranslated() {
    Output out =
        new Output(
            Output.Mode.TEXT,
            new java.io.PrintWriter(new java.io.StringWriter()),
            new java.io.PrintWriter(new java.io.StringWriter()));
    assertThat(
            ErrorHandler.report(
                new UncheckedIOException(new NoSuchFileException("/x/journal.jsonl")), out, false))
        .isEqualTo(5);
    assertThat(ErrorHandler.report(new IOException("No space left on device"), out, false))
        .isEqualTo(5);
    assertThat(ErrorHandler.report(new InterruptedException(), out, false)).isEqualTo(130);
    assertThat(ErrorHandler.report(new IllegalStateException("a bug"), out, false)).isEqualTo(1);
    var full = ErrorHandler.translate(new IOException("No space left on device"));
    assertThat(full.getMessage()).isEqualTo("No space left on device");
    assertThat(full.hint().orElseThrow()).startsWith("free space on the full file system");
    assertThat(ErrorHandler.translate(new IOException("Input/output error")).getMessage())
        .isEqualTo("runctl could not read or write its files: Input/output error");
    assertThat(
            ErrorHandler.translate(new java.nio.channels.ClosedByInterruptException()).getMessage())
        .as("an exception without a message is named by its type, not \"null\"")
        .isEqualTo("runctl could not read or write its files: ClosedByInterruptException");
  }
}
