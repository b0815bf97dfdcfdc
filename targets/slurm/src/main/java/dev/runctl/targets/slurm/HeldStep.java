package dev.runctl.targets.slurm;

import dev.runctl.engine.spi.DetachedProcess;
import dev.runctl.engine.spi.DetachedSpec;
import dev.runctl.engine.spi.ProcessPoll;
import dev.runctl.engine.spi.StepException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One training attempt as a job step of the held allocation ({@code hold_allocation: true}): the
 * batch script runs on the login node, detached ({@code setsid}), and starts the training with
 * {@code srun --jobid=<allocation> --job-name=runctl-<key>}, so the step is found by name in {@code
 * squeue --steps} after a kill -9 of runctl. The exit code comes from the script's record, as for a
 * batch job; the allocation ending under the step is an interruption (its time limit a timeout).
 */
final class HeldStep implements DetachedProcess {
  private static final int MAX_CHUNK = 1 << 20;
  private static final Duration LONG_POLL = Duration.ofSeconds(3);

  /** How long a step just launched may be missing from squeue (srun registers it). */
  private static final Duration LAUNCH_GRACE = Duration.ofSeconds(20);

  private final BatchJobs jobs;
  private final String key;
  private final JobFolder folder;
  private final String allocation;
  private final Optional<String> watchPath;
  private final long launchedAt;
  private boolean terminated;

  HeldStep(
      BatchJobs jobs,
      String key,
      JobFolder folder,
      String allocation,
      Optional<String> watchPath,
      boolean justLaunched) {
    this.jobs = jobs;
    this.key = key;
    this.folder = folder;
    this.allocation = allocation;
    this.watchPath = watchPath;
    this.launchedAt = justLaunched ? System.nanoTime() : System.nanoTime() - LAUNCH_GRACE.toNanos();
  }

  /**
   * The attempt as a step of the held allocation: follows the step of its name when one runs (a
   * resumed runctl), else writes the job folder and starts the batch script detached on the login
   * node, which starts the step with srun.
   */
  static HeldStep start(BatchJobs jobs, DetachedSpec spec, String key, JobFolder folder)
      throws InterruptedException {
    String alloc =
        jobs.allocation()
            .id()
            .orElseThrow(
                () ->
                    StepException.fatal(
                        "hold_allocation: true, but no allocation is held: the train step ran"
                            + " before any provision step",
                        "add a provision step before train (it takes the allocation)"));
    jobs.facts().put(BatchJobs.jobFact(key), alloc);
    if (!steps(jobs.slurm(), alloc, BatchJobs.jobName(key)).isEmpty()) {
      folder.narrate("the step of this attempt runs in allocation " + alloc + ": following it");
      return new HeldStep(jobs, key, folder, alloc, spec.watchPath(), false);
    }
    Map<String, String> jobEnv = new LinkedHashMap<>(spec.command().env());
    jobEnv.putAll(jobs.launcherEnv());
    jobEnv.put("RUNCTL_ALLOCATION", alloc);
    jobEnv.put("RUNCTL_ALLOCATION_NODES", Integer.toString(jobs.settings().nodes()));
    jobEnv.put("RUNCTL_STEP_NAME", BatchJobs.jobName(key));
    folder.write(spec.command().argv(), jobEnv, spec.secrets(), spec.watchPath());
    SlurmCommands.Result r =
        jobs.slurm()
            .run(List.of("setsid", "-f", "bash", folder.script(), folder.dir(), "held"), true);
    if (!r.ok()) {
      throw StepException.transientError(
          "cannot start the training in allocation " + alloc + ": " + r.said(), null, null);
    }
    return new HeldStep(jobs, key, folder, alloc, spec.watchPath(), true);
  }

  /** The step of {@code key} in the held allocation, while it runs or has left its exit code. */
  static Optional<DetachedProcess> attach(BatchJobs jobs, String key) throws InterruptedException {
    Optional<String> alloc = jobs.allocation().id();
    if (alloc.isEmpty()) {
      return Optional.empty();
    }
    JobFolder folder = new JobFolder(jobs.files(), jobs.workdir(), key);
    if (folder.exitCodeOf(alloc.get()).isEmpty()
        && steps(jobs.slurm(), alloc.get(), BatchJobs.jobName(key)).isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new HeldStep(jobs, key, folder, alloc.get(), folder.watchPath(), false));
  }

  @Override
  public String handle() {
    return "slurm:" + key;
  }

  /** The step ids of this attempt's training in the allocation ("12.0"), running or starting. */
  static List<String> steps(SlurmCommands slurm, String allocation, String name)
      throws InterruptedException {
    SlurmCommands.Result r =
        slurm.run(List.of("squeue", "-h", "--steps", "-j", allocation, "-o", "%i|%j"), false);
    List<String> out = new ArrayList<>();
    for (String line : r.stdout().split("\n")) {
      String[] f = line.strip().split("\\|", -1);
      if (f.length == 2 && f[1].equals(name)) {
        out.add(f[0]);
      }
    }
    return out;
  }

  @Override
  public ProcessPoll poll(long outputOffset) throws InterruptedException {
    OptionalInt code = folder.exitCodeOf(allocation);
    byte[] out =
        folder.readOutput(
            outputOffset, MAX_CHUNK, code.isEmpty() && !terminated ? LONG_POLL : Duration.ZERO);
    long next = outputOffset + out.length;
    String signature = signature();
    code = code.isPresent() ? code : folder.exitCodeOf(allocation);
    if (code.isPresent()) {
      return new ProcessPoll(ProcessPoll.State.EXITED, code, out, next, signature);
    }
    Optional<JobInfo> alloc = jobs.queue().info(allocation);
    if (alloc.isEmpty() || !alloc.get().active()) {
      if (terminated) {
        return new ProcessPoll(ProcessPoll.State.EXITED, OptionalInt.of(143), out, next, signature);
      }
      String state = alloc.map(JobInfo::state).orElse("gone");
      String msg =
          "the held allocation " + allocation + " ended (" + state + ") under the training";
      throw state.equals("TIMEOUT")
          ? StepException.timeout(msg, "raise the allocation's time limit (extra_sbatch --time)")
          : StepException.interruption(msg, "resume the run: provision takes a new allocation");
    }
    boolean launching = System.nanoTime() - launchedAt < LAUNCH_GRACE.toNanos();
    if (launching || !steps(jobs.slurm(), allocation, BatchJobs.jobName(key)).isEmpty()) {
      return new ProcessPoll(ProcessPoll.State.RUNNING, OptionalInt.empty(), out, next, signature);
    }
    Thread.sleep(1000); // the step just ended: its script records the code a moment later
    code = folder.exitCodeOf(allocation);
    if (code.isPresent()) {
      return new ProcessPoll(ProcessPoll.State.EXITED, code, out, next, signature);
    }
    if (terminated) {
      return new ProcessPoll(ProcessPoll.State.EXITED, OptionalInt.of(143), out, next, signature);
    }
    return new ProcessPoll(ProcessPoll.State.LOST, OptionalInt.empty(), out, next, signature);
  }

  @Override
  public void terminate(Duration grace) throws InterruptedException {
    terminated = true;
    String name = BatchJobs.jobName(key);
    List<String> ids = steps(jobs.slurm(), allocation, name);
    if (ids.isEmpty()) {
      return;
    }
    List<String> argv = new ArrayList<>(List.of("scancel"));
    argv.addAll(ids);
    jobs.slurm().run(argv);
    long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!steps(jobs.slurm(), allocation, name).isEmpty() && System.nanoTime() < until) {
      Thread.sleep(250);
    }
  }

  private String signature() throws InterruptedException {
    if (watchPath.isEmpty()) {
      return "none";
    }
    String p = watchPath.get();
    return jobs.files().signature(p.startsWith("/") ? p : jobs.workdir() + "/" + p);
  }
}
