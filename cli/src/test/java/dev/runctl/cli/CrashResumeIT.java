package dev.runctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The crash test: a DAG of 200 {@code run} steps, each appending its id to a ledger, applied and
 * then killed with SIGKILL at random moments, resumed each time, until a run succeeds. Afterwards
 * every step is in the ledger, no step that the journal said had succeeded (at any kill) ran again,
 * and no resume failed to load the state.
 */
class CrashResumeIT {
  static final int LAYERS = 20;
  static final int WIDTH = 10;
  static final int KILLS = 12;
  static final Pattern SUCCEEDED =
      Pattern.compile(
          "\"type\":\"step_ended\",\"at\":\"[^\"]+\",\"step\":\"(s\\d+)\",\"status\":\"succeeded\"");

  @TempDir Path dir;

  @Test
  void killedAtRandomMomentsAResumedRunLosesNothingAndRepeatsNothing() throws Exception {
    Random random = new Random(42);
    Runctl runctl = new Runctl(dir);
    Path spec = runctl.spec("crash.yaml", spec(random));
    Path ledger = dir.resolve("ledger.txt");

    Runctl.Running p = runctl.start("apply", spec.toString(), "--parallelism", "2");
    String runId = p.runId(Duration.ofSeconds(60));
    Path journal = runctl.runDir(runId).resolve("journal.jsonl");
    Map<String, Integer> frozen = new HashMap<>();
    int kills = 0;
    boolean tookOver = false;
    while (true) {
      boolean kill = kills < KILLS;
      if (kill) {
        Thread.sleep(300 + random.nextInt(1500));
      }
      if (kill && p.process.isAlive()) {
        p.process.destroyForcibly();
        p.process.waitFor();
        kills++;
        Set<String> succeeded = succeeded(journal);
        Map<String, Integer> counts = counts(ledger);
        for (String s : succeeded) {
          frozen.putIfAbsent(s, counts.getOrDefault(s, 0));
        }
      } else {
        Runctl.Result r = p.await(Duration.ofMinutes(2));
        assertThat(r.stderr()).doesNotContain("damaged").doesNotContain("internal error");
        tookOver |= r.stdout().contains("took over the lock");
        if (r.exitCode() == 0) {
          break;
        }
        assertThat(r.exitCode()).as("a resume that was not killed: %s", r).isZero();
      }
      if (kill) {
        String stdout = p.stdout();
        tookOver |= stdout.contains("took over the lock");
        assertThat(p.stderr()).doesNotContain("damaged").doesNotContain("internal error");
      }
      p = runctl.start("resume", runId, "--parallelism", "2");
    }

    Map<String, Integer> finalCounts = counts(ledger);
    for (int i = 0; i < LAYERS * WIDTH; i++) {
      assertThat(finalCounts).containsKey(id(i));
    }
    frozen.forEach(
        (step, count) ->
            assertThat(finalCounts.get(step))
                .as("step %s was journaled as succeeded; it must not run again", step)
                .isEqualTo(count));
    assertThat(succeeded(journal)).hasSize(LAYERS * WIDTH);
    assertThat(kills).as("kills landed while the run was live").isGreaterThanOrEqualTo(3);
    if (kills > 1) {
      assertThat(tookOver).as("a resume after kill -9 says that it took over the lock").isTrue();
    }
    long repeats = finalCounts.values().stream().filter(c -> c > 1).count();
    System.out.printf(
        "crash test: %d kills, %d steps journaled as succeeded at some kill, %d steps ran more"
            + " than once (all in flight at a kill)%n",
        kills, frozen.size(), repeats);
    Runctl.Result status = runctl.run("status", runId);
    assertThat(status.stdout()).contains("succeeded");
  }

  static String id(int i) {
    return String.format("s%03d", i);
  }

  /** Layers of WIDTH steps; each step needs two steps of the layer before. */
  static String spec(Random random) {
    StringBuilder b = new StringBuilder("version: 1\nname: crash\nsteps:\n");
    for (int l = 0; l < LAYERS; l++) {
      for (int w = 0; w < WIDTH; w++) {
        int i = l * WIDTH + w;
        b.append("  - id: ").append(id(i)).append("\n    uses: run\n");
        if (l == 0) {
          b.append("    needs: []\n");
        } else {
          int x = (l - 1) * WIDTH + random.nextInt(WIDTH);
          int y = (l - 1) * WIDTH + random.nextInt(WIDTH);
          b.append("    needs: [").append(id(x));
          if (y != x) {
            b.append(", ").append(id(y));
          }
          b.append("]\n");
        }
        b.append("    with: {command: [\"sh\", \"-c\", \"sleep 0.08; echo ")
            .append(id(i))
            .append(" >> ledger.txt\"]}\n");
      }
    }
    return b.toString();
  }

  static Set<String> succeeded(Path journal) throws Exception {
    Set<String> out = new HashSet<>();
    for (String line : Files.readAllLines(journal)) {
      Matcher m = SUCCEEDED.matcher(line);
      if (m.find()) {
        out.add(m.group(1));
      }
    }
    return out;
  }

  static Map<String, Integer> counts(Path ledger) throws Exception {
    Map<String, Integer> c = new HashMap<>();
    if (!Files.exists(ledger)) {
      return c;
    }
    List<String> lines = new ArrayList<>(Files.readAllLines(ledger));
    for (String l : lines) {
      if (!l.isBlank()) {
        c.merge(l.trim(), 1, Integer::sum);
      }
    }
    return c;
  }
}
