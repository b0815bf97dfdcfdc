package dev.runctl.targets.slurm;

import dev.runctl.engine.spi.StepException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What Slurm's queue says of a run's jobs ({@code scontrol show job}, {@code squeue}) and how they
 * leave it ({@code scancel}, then waiting until squeue no longer lists them).
 */
final class SlurmQueue {
  private final SlurmCommands slurm;
  private final String safeRunId;

  /** {@code safeRunId}: the run id as job names carry it. */
  SlurmQueue(SlurmCommands slurm, String safeRunId) {
    this.slurm = slurm;
    this.safeRunId = safeRunId;
  }

  /** What {@code scontrol show job} says of {@code id}; empty once Slurm has forgotten it. */
  Optional<JobInfo> info(String id) throws InterruptedException {
    SlurmCommands.Result r = slurm.run(List.of("scontrol", "show", "job", "-o", id));
    if (!r.ok()) {
      if (r.said().contains("Invalid job id")) {
        return Optional.empty();
      }
      throw StepException.transientError(
          "scontrol show job " + id + " failed: " + r.said(),
          "check that slurmctld is up (scontrol ping)",
          null);
    }
    return JobInfo.parse(r.stdout().strip());
  }

  /** The run's jobs that are queued or running: "id|name|state|nodes". */
  List<String[]> active() throws InterruptedException {
    String prefix = "runctl-" + safeRunId + "-";
    List<String[]> out = new ArrayList<>();
    for (String line : slurm.output(List.of("squeue", "-h", "-o", "%i|%j|%T|%N")).split("\n")) {
      String[] f = line.strip().split("\\|", -1);
      if (f.length == 4 && f[1].startsWith(prefix)) {
        out.add(f);
      }
    }
    return out;
  }

  /** Waits until none of {@code ids} is queued or running (at most a minute). */
  void awaitGone(Set<String> ids) throws InterruptedException {
    long until = System.nanoTime() + 60_000_000_000L;
    while (System.nanoTime() < until) {
      if (active().stream().noneMatch(f -> ids.contains(f[0]))) {
        return;
      }
      Thread.sleep(250);
    }
    throw StepException.transientError(
        "Slurm job(s) " + String.join(", ", ids) + " still in the queue a minute after scancel",
        "look at them with squeue; a retry cancels them again",
        null);
  }

  void cancel(String id) throws InterruptedException {
    slurm.run(List.of("scancel", id));
  }

  /**
   * Asks Slurm to run {@code ended} (a batch job of this run, submitted with --requeue) once more
   * under the same job id ({@code scontrol requeue}, which Slurm allows for an ended job it still
   * holds); the job as Slurm then describes it while it can run, empty when Slurm refused.
   */
  Optional<JobInfo> requeue(JobInfo ended) throws InterruptedException {
    slurm.run(List.of("scontrol", "requeue", ended.id()));
    return info(ended.id()).filter(JobInfo::active);
  }

  /** The job queued under {@code name}, if any. */
  Optional<JobInfo> queuedByName(String name) throws InterruptedException {
    String ids = slurm.output(List.of("squeue", "-h", "--name=" + name, "-o", "%i")).strip();
    if (ids.isEmpty()) {
      return Optional.empty();
    }
    return info(ids.split("\\s+")[0]);
  }
}
