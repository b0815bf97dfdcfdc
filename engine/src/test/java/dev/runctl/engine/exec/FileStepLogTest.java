package dev.runctl.engine.exec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runctl.engine.spi.RunClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
}
