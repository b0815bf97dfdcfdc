package dev.runctl.targets.slurm;

import dev.runctl.engine.spi.StepException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Runs Slurm's client commands ({@code sinfo}, {@code scontrol}, {@code squeue}, {@code sbatch},
 * {@code scancel}) on this machine, each argument passed as one argv element, never through a
 * shell. They find the cluster the usual way ({@code SLURM_CONF}, or the installed slurm.conf).
 */
class SlurmCommands {
  private static final long TIMEOUT_SECONDS = 60;
  private static final java.util.regex.Pattern INHERITED =
      java.util.regex.Pattern.compile(
          "PATH|HOME|USER|LOGNAME|LANG|LC_[A-Z]+|TZ|SLURM_.*|SBATCH_.*");

  /** How a command ended. */
  record Result(int exitCode, String stdout, String stderr) {
    boolean ok() {
      return exitCode == 0;
    }

    /** What the command said, for a message: stderr, else stdout, on one line. */
    String said() {
      String text = stderr.isBlank() ? stdout : stderr;
      return text.strip().replace('\n', ' ');
    }
  }

  /** Runs {@code argv} to its end; a missing program or a hang is a transient error. */
  Result run(List<String> argv) throws InterruptedException {
    return run(argv, false);
  }

  /**
   * sbatch, with only the variables a job should inherit from runctl's environment (sbatch passes
   * its own environment to the job): {@code PATH}, {@code HOME}, {@code USER}, {@code LOGNAME},
   * {@code LANG}, {@code LC_*}, {@code TZ}, and Slurm's {@code SLURM_*} and {@code SBATCH_*}. The
   * spec's variables and secrets reach the job through its env file only.
   */
  Result submit(List<String> argv) throws InterruptedException {
    return run(argv, true);
  }

  Result run(List<String> argv, boolean scrubbed) throws InterruptedException {
    Process p;
    try {
      ProcessBuilder pb = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.PIPE);
      if (scrubbed) {
        pb.environment().keySet().removeIf(k -> !INHERITED.matcher(k).matches());
      }
      p = pb.start();
    } catch (IOException e) {
      throw StepException.fatal(
          "cannot run " + argv.get(0) + ": " + e.getMessage(),
          "install Slurm's client commands (Debian: apt-get install slurm-client) and run runctl"
              + " where they reach the cluster");
    }
    try {
      p.getOutputStream().close();
      CompletableFuture<String> err =
          CompletableFuture.supplyAsync(() -> drain(p.getErrorStream()));
      String out = drain(p.getInputStream());
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw StepException.transientError(
            String.join(" ", argv.subList(0, Math.min(2, argv.size())))
                + " did not answer in "
                + TIMEOUT_SECONDS
                + "s",
            "check that slurmctld is up (scontrol ping)",
            null);
      }
      return new Result(p.exitValue(), out, err.get());
    } catch (InterruptedException e) {
      p.destroyForcibly();
      throw e;
    } catch (IOException | ExecutionException e) {
      throw StepException.transientError(
          "reading " + argv.get(0) + "'s output failed: " + e, null, e);
    }
  }

  /** Runs {@code argv} and returns its stdout; a non-zero exit is a transient error. */
  String output(List<String> argv) throws InterruptedException {
    Result r = run(argv);
    if (!r.ok()) {
      throw StepException.transientError(
          String.join(" ", argv) + " failed (exit " + r.exitCode() + "): " + r.said(),
          "check the cluster with sinfo and scontrol ping",
          null);
    }
    return r.stdout();
  }

  private static String drain(InputStream in) {
    try {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }
}
