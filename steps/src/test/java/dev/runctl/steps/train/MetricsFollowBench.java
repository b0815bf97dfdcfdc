package dev.runctl.steps.train;

import dev.runctl.engine.spi.Machine;
import dev.runctl.engine.spi.StepContext;
import dev.runctl.steps.testing.DirectContext;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The bench behind {@code bench/metrics.sh} (not a test): a training's metrics file grows to {@code
 * POINTS} lines, {@code PER_POLL} lines between two polls of the follower, through the real local
 * machine. Prints, for each quarter of the points, the follower's time, its thread's CPU time (less
 * moved by other loads on the machine) and the bytes its reads answered: a follower whose cost
 * grows with the file (a whole-file read per poll) reads about 7 times as much for the last quarter
 * as for the first, and its time follows as the file grows; one whose cost grows with what was
 * appended reads as much for each, and takes about as long.
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
    Machine machine = counting(ctx.target().machine());
    String remote = "checkpoints/runctl-metrics.jsonl";
    Path file = work.resolve(remote);
    Files.createDirectories(file.getParent());
    MetricsFollower follower = new MetricsFollower(machine, remote, ctx);
    // warm up the JIT on a file of its own, so the first quarter is not charged for it
    warmUp(tmp, perPoll);
    ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
    long[] quarter = new long[4];
    long[] quarterCpu = new long[4];
    long[] quarterBytes = new long[4];
    long total = System.nanoTime();
    try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE)) {
      for (int written = 0; written < points; ) {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < perPoll && written < points; i++, written++) {
          lines.append(line(written));
        }
        out.write(lines.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
        int q = Math.min(3, (int) ((long) (written - 1) * 4 / points));
        long t = System.nanoTime();
        long c = cpu.getCurrentThreadCpuTime();
        long b = bytesRead;
        follower.poll();
        quarterCpu[q] += cpu.getCurrentThreadCpuTime() - c;
        quarter[q] += System.nanoTime() - t;
        quarterBytes[q] += bytesRead - b;
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
      System.out.printf(
          "quarter %d: follower %6d ms (cpu %6d ms), read %8.1f MB%n",
          q + 1, quarter[q] / 1_000_000, quarterCpu[q] / 1_000_000, quarterBytes[q] / 1e6);
    }
    long sum = quarter[0] + quarter[1] + quarter[2] + quarter[3];
    long sumCpu = quarterCpu[0] + quarterCpu[1] + quarterCpu[2] + quarterCpu[3];
    System.out.printf(
        "follower total %d ms, cpu %d ms, read %.1f MB (bench wall %d ms); last/first quarter:"
            + " cpu %.1fx, bytes read %.1fx (linear ~1, quadratic ~7)%n",
        sum / 1_000_000,
        sumCpu / 1_000_000,
        bytesRead / 1e6,
        wall / 1_000_000,
        (double) quarterCpu[3] / Math.max(1, quarterCpu[0]),
        (double) quarterBytes[3] / Math.max(1, quarterBytes[0]));
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

  private static long bytesRead;

  /**
   * The machine, counting the bytes its reads answer (through either read, so that the bench runs
   * against a follower of any version).
   */
  private static Machine counting(Machine machine) {
    return (Machine)
        Proxy.newProxyInstance(
            Machine.class.getClassLoader(),
            new Class<?>[] {Machine.class},
            (proxy, method, margs) -> {
              Object result;
              try {
                result = method.invoke(machine, margs);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
              if (method.getName().equals("read") && result instanceof Optional<?> o) {
                Object v = o.orElse(null);
                if (v instanceof byte[] b) {
                  bytesRead += b.length;
                } else if (v != null) {
                  bytesRead += ((byte[]) v.getClass().getMethod("bytes").invoke(v)).length;
                }
              }
              return result;
            });
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
