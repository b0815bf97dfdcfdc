package dev.runctl.targets.slurm;

import dev.runctl.engine.spi.Facts;
import dev.runctl.engine.spi.StepException;
import dev.runctl.engine.spi.StepLog;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code hold_allocation: true}: provision takes an allocation with {@code salloc --no-shell} (no
 * batch step, so nothing holds its CPUs), named {@code runctl-<run>-alloc} and journaled as {@code
 * slurm.allocation} the moment salloc returns; a resumed provision finds it by that name instead of
 * taking a second one. The steps until teardown run in it with {@code srun --jobid}; teardown and
 * cancel release it with the run's other jobs (its name carries the run id).
 */
final class Allocation {
  static final String FACT = "slurm.allocation";
  private static final Pattern GRANTED = Pattern.compile("allocation (\\d+)");
  private final SlurmCommands slurm;
  private final SlurmSettings settings;
  private final Facts facts;
  private final String name;

  Allocation(SlurmCommands slurm, SlurmSettings settings, Facts facts, String runId) {
    this.slurm = slurm;
    this.settings = settings;
    this.facts = facts;
    this.name = BatchJobs.jobName(runId.replaceAll("[^A-Za-z0-9_.-]", "_") + "-alloc");
  }

  /** The allocation's job id, once provision took it. */
  Optional<String> id() {
    return facts.get(FACT);
  }

  String name() {
    return name;
  }

  /** Takes the allocation, or adopts the run's one still in the queue; waits until granted. */
  String take(StepLog log, Optional<String> timeLimit) throws InterruptedException {
    String queued = slurm.output(List.of("squeue", "-h", "--name=" + name, "-o", "%i|%T")).strip();
    if (!queued.isEmpty()) {
      String[] f = queued.split("\n")[0].split("\\|");
      facts.put(FACT, f[0]);
      log.line(
          "allocation " + f[0] + " of this run is already " + f[1].toLowerCase() + ": keeping it");
      awaitGranted(f[0]);
      return f[0];
    }
    List<String> argv = new ArrayList<>(List.of("salloc", "--no-shell", "--job-name=" + name));
    argv.addAll(settings.resourceOptions());
    timeLimit.ifPresent(t -> argv.add("--time=" + t));
    argv.addAll(settings.extraSbatch());
    log.line("taking an allocation: " + String.join(" ", argv));
    SlurmCommands.Result r = slurm.submit(argv);
    Matcher m = GRANTED.matcher(r.stderr() + r.stdout());
    if (!r.ok() || !m.find()) {
      throw StepException.fatal(
          "salloc did not grant an allocation: " + r.said(),
          "check the target's partition, account, qos and resource settings (sinfo, scontrol show"
              + " partition) and extra_sbatch, or set hold_allocation: false");
    }
    facts.put(FACT, m.group(1));
    log.line("holding allocation " + m.group(1) + " until teardown");
    return m.group(1);
  }

  /** Waits while the allocation is pending (a salloc stopped before it was granted). */
  private void awaitGranted(String id) throws InterruptedException {
    while (slurm.output(List.of("squeue", "-h", "-j", id, "-o", "%T")).strip().equals("PENDING")) {
      Thread.sleep(1000);
    }
  }

  /**
   * {@code argv} as a step of the allocation on its first node: {@code srun --jobid --overlap} (the
   * training's step may be running beside it), one task, output labelled by nothing.
   */
  List<String> onANode(String id, List<String> argv) {
    List<String> out =
        new ArrayList<>(
            List.of(
                "srun",
                "--jobid=" + id,
                "--overlap",
                "--nodes=1",
                "--ntasks=1",
                "--quiet",
                "--kill-on-bad-exit=1"));
    out.addAll(argv);
    return out;
  }
}
