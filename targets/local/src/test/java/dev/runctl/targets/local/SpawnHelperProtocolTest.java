package dev.runctl.targets.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runctl.engine.testing.RecordingLog;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spawn helper's protocol, driven directly under load: hundreds of quick commands at once, each
 * of which must report its pid, its output, the end of its output and its exit without waiting for
 * another command's report (a report that rides along with the next one is stranded when no next
 * one comes: that stalled trivial steps for 7 s).
 */
class SpawnHelperProtocolTest {
  private static final Duration PROMPT = Duration.ofSeconds(3);

  @TempDir Path tmp;
  private SpawnHelper helper;

  @BeforeEach
  void startHelper() throws Exception {
    helper = SpawnHelper.start(SpawnHelper.python(), Duration.ofSeconds(2));
    assertThat(helper.awaitReady(Duration.ofSeconds(20))).isTrue();
  }

  @AfterEach
  void closeHelper() {
    helper.close();
  }

  /** What one command's reports looked like from here. */
  private record Seen(int exit, boolean closedPromptly, boolean pidKnown, String output) {}

  private Seen runOne(int k) throws InterruptedException {
    RecordingLog log = new RecordingLog(tmp.resolve("logs/" + k + ".log"));
    List<String> argv =
        k % 3 == 0
            ? List.of("echo", "hi " + k)
            : k % 3 == 1 ? List.of("true") : List.of("sh", "-c", "echo hi " + k + "; exit 3");
    SpawnCall call = helper.start(argv, Map.of(), tmp, log);
    try {
      int code = call.awaitExit().orElseThrow();
      boolean closed = call.awaitClosed(PROMPT);
      return new Seen(code, closed, call.pid() > 0, log.output().trim());
    } finally {
      helper.forget(call);
    }
  }

  @Test
  void hundredsOfQuickCommandsAtOnceEachReportExitAndEndOfOutputPromptly() throws Exception {
    int n = 400;
    ExecutorService pool = Executors.newFixedThreadPool(64);
    try {
      List<Future<Seen>> futures = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        int k = i;
        futures.add(pool.submit(() -> runOne(k)));
      }
      List<Integer> stalled = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        Seen s = futures.get(i).get();
        if (!s.closedPromptly()) {
          stalled.add(i);
        }
        assertThat(s.pidKnown()).as("pid of command %d reported", i).isTrue();
        switch (i % 3) {
          case 0 ->
              assertThat(s).extracting(Seen::exit, Seen::output).containsExactly(0, "hi " + i);
          case 1 -> assertThat(s).extracting(Seen::exit, Seen::output).containsExactly(0, "");
          default ->
              assertThat(s).extracting(Seen::exit, Seen::output).containsExactly(3, "hi " + i);
        }
      }
      assertThat(stalled).as("commands whose end of output was not reported within 3 s").isEmpty();
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void sequentialQuickCommandsNeverWaitForTheNextReport() throws Exception {
    for (int i = 0; i < 60; i++) {
      Seen s = runOne(i);
      assertThat(s.closedPromptly()).as("end of output of command %d within 3 s", i).isTrue();
    }
  }
}
