package dev.runctl.engine.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.runctl.engine.spi.RunClock;
import dev.runctl.engine.spi.StepException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileStepLogTest {
  @TempDir Path dir;

  private FileStepLog log(String name, SecretMasker masker) {
    return new FileStepLog(dir.resolve(name), masker, RunClock.SYSTEM);
  }

  @Test
  void aQuietSuccessWritesNoFile() {
    FileStepLog log = log("quiet.log", new SecretMasker());
    log.narrate("attempt 1 of step 'quiet' (run)");
    log.discardQuietNarration();
    log.close();
    assertThat(dir.resolve("quiet.log")).doesNotExist();
  }

  @Test
  void heldNarrationComesFirstOnceTheStepSaysSomethingAndIsMasked() throws Exception {
    SecretMasker masker = new SecretMasker();
    masker.add("hunter22");
    FileStepLog log = log("loud.log", masker);
    log.narrate("attempt 1 with hunter22");
    byte[] out = "output hunter22\n".getBytes(StandardCharsets.UTF_8);
    log.output(out, 0, out.length);
    log.close();
    assertThat(Files.readAllLines(dir.resolve("loud.log")))
        .satisfiesExactly(
            first -> assertThat(first).matches("\\[\\d{4}-.*Z\\] attempt 1 with \\*\\*\\*"),
            second -> assertThat(second).isEqualTo("output ***"));
  }

  @Test
  void narrationOfAnAttemptThatIsNotDiscardedIsKeptAtClose() throws Exception {
    FileStepLog log = log("failed.log", new SecretMasker());
    log.narrate("attempt 1 of step 'failed' (run)");
    log.close(); // a failed attempt: nothing discards the narration
    assertThat(Files.readString(dir.resolve("failed.log")))
        .contains("] attempt 1 of step 'failed' (run)\n");
  }

  @Test
  void aFullDiskIsSaidAsSuchWithThePathAndWhatToFreeAndIsNotRetried() throws Exception {
    // /dev/full answers every write with ENOSPC, as a full file system does
    Path file = Files.createSymbolicLink(dir.resolve("train.log"), Path.of("/dev/full"));
    FileStepLog log = new FileStepLog(file, new SecretMasker(), RunClock.SYSTEM);
    Throwable thrown = catchThrowable(() -> log.line("epoch 1/8"));
    assertThat(thrown)
        .isInstanceOf(StepException.class)
        .hasMessageContaining("cannot write the step log " + file)
        .hasMessageContaining("No space left on device");
    Failure f = Failure.of(thrown, "train", "train", Optional.empty());
    assertThat(f.retryable()).isFalse();
    assertThat(f.message()).contains("No space left on device").contains(file.toString());
    assertThat(f.hint())
        .hasValueSatisfying(
            h ->
                assertThat(h)
                    .contains("free space on the file system that holds " + dir)
                    .contains("df -h " + dir)
                    .contains("rm -r")
                    .doesNotContain("transient"));
  }

  @Test
  void runningOutOfFileDescriptorsIsSaidAsSuchWithTheLimitToRaise() {
    // what the JDK throws when open(2) answers EMFILE (its text is the system's strerror)
    Throwable emfile =
        new java.io.UncheckedIOException(
            new java.nio.file.FileSystemException(
                dir.resolve("procs/train/watch").toString(), null, "Too many open files"));
    Failure f = Failure.of(emfile, "teardown", "teardown", Optional.empty());
    assertThat(f.message()).contains("Too many open files").doesNotContain("internal error");
    assertThat(f.retryable()).as("descriptors come free as other steps end").isTrue();
    assertThat(f.hint())
        .hasValueSatisfying(h -> assertThat(h).contains("ulimit -n").doesNotContain("transient"));
    StepException spawn =
        StepException.failure(
            "cannot start sh: Cannot run program \"/usr/bin/setsid\": error=24, Too many open files",
            "check that the program is installed and on PATH, and that the folder exists");
    assertThat(Failure.of(spawn, "s0", "run", Optional.empty()).hint())
        .hasValueSatisfying(h -> assertThat(h).contains("ulimit -n").doesNotContain("on PATH"));
  }
}
