package dev.runctl.targets.slurm;

import dev.runctl.engine.spi.StepException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One attempt's batch job folder on the shared filesystem, {@code <workdir>/.runctl/jobs/<key>}:
 * the batch script, the command ({@code argv}) and its environment ({@code env}, mode 600), both
 * NUL-separated so that no shell ever splits them, the job's output ({@code out}, appended to by
 * every segment and requeue) and the exit code the batch script records ({@code exit}).
 */
final class JobFolder {
  static final String JOBS = ".runctl/jobs";
  private final ClusterFiles files;
  private final String dir;

  JobFolder(ClusterFiles files, String workdir, String key) {
    this.files = files;
    this.dir = workdir + "/" + JOBS + "/" + key;
  }

  String dir() {
    return dir;
  }

  String script() {
    return dir + "/batch.sh";
  }

  String output() {
    return dir + "/out";
  }

  String env() {
    return dir + "/env";
  }

  private String exit() {
    return dir + "/exit";
  }

  /** Writes the batch script, the command and its environment (the latter readable by us only). */
  void write(
      List<String> argv, Map<String, String> env, List<String> secrets, Optional<String> watch)
      throws InterruptedException {
    files.write(
        dir,
        List.of(
            new ClusterFiles.Write(script(), batchScript(), false, true),
            new ClusterFiles.Write(dir + "/argv", nulSeparated(argv), false, false),
            new ClusterFiles.Write(
                dir + "/watch", watch.orElse("").getBytes(StandardCharsets.UTF_8), false, false),
            new ClusterFiles.Write(
                env(),
                nulSeparated(
                    env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList()),
                true,
                false),
            new ClusterFiles.Write(
                dir + "/mask",
                nulSeparated(secrets.stream().filter(s -> !s.isEmpty()).toList()),
                true,
                false)));
    files.delete(List.of(exit()));
    files.append(output(), "");
  }

  /** The folder whose changes count as progress (the checkpoints), as the attempt named it. */
  Optional<String> watchPath() throws InterruptedException {
    return files.read(dir + "/watch").map(String::strip).filter(p -> !p.isEmpty());
  }

  /** The exit code the batch script recorded for job {@code jobId}; empty when it has not. */
  OptionalInt exitCodeOf(String jobId) throws InterruptedException {
    return exitCodeOf(jobId, OptionalInt.empty());
  }

  /**
   * The exit code the batch script recorded for run {@code restarts} of job {@code jobId} (Slurm's
   * restart count: each requeue runs the same job id again); empty when that run recorded none. A
   * run Slurm requeued records its end too (143, killed), which is not the end of the run after it.
   */
  OptionalInt exitCodeOf(String jobId, int restarts) throws InterruptedException {
    return exitCodeOf(jobId, OptionalInt.of(restarts));
  }

  private OptionalInt exitCodeOf(String jobId, OptionalInt restarts) throws InterruptedException {
    Optional<String> text = files.read(exit());
    if (text.isEmpty()) {
      return OptionalInt.empty();
    }
    String[] f = text.get().trim().split(" ");
    try {
      boolean thisRun =
          f.length == 3
              && f[0].equals(jobId)
              && (restarts.isEmpty() || Integer.parseInt(f[1]) == restarts.getAsInt());
      return thisRun ? OptionalInt.of(Integer.parseInt(f[2])) : OptionalInt.empty();
    } catch (NumberFormatException e) {
      return OptionalInt.empty();
    }
  }

  /**
   * Up to {@code max} bytes of the job's output from {@code offset}; with none yet, watches the
   * file for up to {@code wait} (an exit code recorded meanwhile ends the wait).
   */
  byte[] readOutput(long offset, int max, Duration wait) throws InterruptedException {
    return files.readFrom(output(), offset, max, wait, exit());
  }

  /** Appends one line of runctl's own to the job's output, so that it reaches the step log. */
  void narrate(String line) throws InterruptedException {
    files.append(output(), "[runctl] " + line + "\n");
  }

  /** Removes the environment file (it may hold secrets) once the job no longer needs it. */
  boolean removeEnv() throws InterruptedException {
    return files.delete(List.of(env(), dir + "/mask"));
  }

  private static byte[] batchScript() {
    try (InputStream in = JobFolder.class.getResourceAsStream("batch.sh")) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] nulSeparated(List<String> items) {
    StringBuilder b = new StringBuilder();
    for (String s : items) {
      if (s.indexOf('\0') >= 0) {
        throw StepException.fatal(
            "an argument or environment value holds a NUL character", "remove it from the spec");
      }
      b.append(s).append('\0');
    }
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }
}
