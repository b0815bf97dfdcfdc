package dev.runctl.steps.train;

import dev.runctl.engine.spi.Machine;
import dev.runctl.engine.spi.StepContext;
import dev.runctl.steps.testing.DirectContext;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The bench behind {@code bench/metrics.sh} (not a test): a training's metrics file grows to {@code
 * POINTS} lines, {@code PER_POLL} lines between two polls of the follower, through the real local
 * machine. Prints the follower's time for each quarter of the points: a follower whose cost grows
 * with the file (a whole-file read per poll) takes about 7 times longer for the last quarter than
 * for the first; one whose cost grows with what was appended takes about as long for each.
 *
 * <p>{@code java ... MetricsFollowBench [POINTS [PER_POLL]]}
 */
public final class MetricsFollowBench {
  private MetricsFollowBench() {}

  public static void main(String[] args) throws Exception {
    int points = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int perPoll = args.length > 1 ? Integer.parseInt(args[1]) : 100;
    Path tmp = Files.createTempDirectory("metrics-bench");
    try {
      run(tmp, points, perPoll);
    } finally {
      try (Stream<Path> all = Files.walk(tmp)) {
        for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  private static void run(Path tmp, int points, int perPoll) throws Exception {
    Path work = Files.createDirectories(tmp.resolve("work"));
    DirectContext run = new DirectContext(work, tmp.resolve("run"));
    StepContext ctx = run.step("train", 1, List.of());
    Machine machine = ctx.target().machine();
    String remote = "checkpoints/runctl-metrics.jsonl";
    Path file = work.resolve(remote);
    Files.createDirectories(file.getParent());
    MetricsFollower follower = new MetricsFollower(machine, remote, ctx);
    // warm up the JIT on a file of its own, so the first quarter is not charged for it
    warmUp(tmp, perPoll);
    long[] quarter = new long[4];
    long total = System.nanoTime();
    try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE)) {
      for (int written = 0; written < points; ) {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < perPoll && written < points; i++, written++) {
          lines.append(line(written));
        }
        out.write(lines.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
        long t = System.nanoTime();
        follower.poll();
        quarter[Math.min(3, (int) ((long) (written - 1) * 4 / points))] += System.nanoTime() - t;
      }
    }
    long wall = System.nanoTime() - total;
    long copied = Files.lines(tmp.resolve("run/metrics/train.jsonl")).count();
    if (copied != points) {
      throw new IllegalStateException("copied " + copied + " lines of " + points);
    }
    System.out.printf(
        "points %d, %d per poll (%d polls), file %.1f MB%n",
        points, perPoll, (points + perPoll - 1) / perPoll, Files.size(file) / 1e6);
    for (int q = 0; q < 4; q++) {
      System.out.printf("quarter %d: follower %6d ms%n", q + 1, quarter[q] / 1_000_000);
    }
    long sum = quarter[0] + quarter[1] + quarter[2] + quarter[3];
    System.out.printf(
        "follower total %d ms (bench wall %d ms); last/first quarter %.1fx (linear ~1, quadratic"
            + " ~7)%n",
        sum / 1_000_000, wall / 1_000_000, (double) quarter[3] / Math.max(1, quarter[0]));
  }

  private static void warmUp(Path tmp, int perPoll) throws Exception {
    Path work = Files.createDirectories(tmp.resolve("warm"));
    DirectContext run = new DirectContext(work, tmp.resolve("warm-run"));
    StepContext ctx = run.step("train", 1, List.of());
    Path file = work.resolve("m.jsonl");
    MetricsFollower f = new MetricsFollower(ctx.target().machine(), "m.jsonl", ctx);
    for (int round = 0; round < 200; round++) {
      StringBuilder lines = new StringBuilder();
      for (int i = 0; i < perPoll; i++) {
        lines.append(line(round * perPoll + i));
      }
      Files.writeString(file, lines, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      f.poll();
    }
  }

  private static String line(int step) {
    return "{\"step\": "
        + step
        + ", \"epoch\": "
        + step / 1000
        + ", \"loss\": "
        + (1.0 / (1 + step))
        + ", \"accuracy\": "
        + (step / (step + 10.0))
        + "}\n";
  }
}
