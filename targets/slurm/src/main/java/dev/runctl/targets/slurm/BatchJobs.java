package dev.runctl.targets.slurm;

import dev.runctl.engine.spi.DetachedProcess;
import dev.runctl.engine.spi.DetachedSpec;
import dev.runctl.engine.spi.Facts;
import dev.runctl.engine.spi.StepException;
import dev.runctl.engine.spi.StepLog;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The run's batch jobs: submits one per training attempt (named {@code
 * runctl-<run>-<step>-<attempt>} and looked for by that name with {@code squeue} before any submit,
 * so that a resumed runctl never submits a second job for the same attempt), journals each job id
 * the moment sbatch returns it ({@code slurm.job.<key>}, and {@code slurm.job.<key>.segment.<n>}
 * per time-limit segment), finds them again, and cancels them.
 */
final class BatchJobs {
  private final SlurmCommands slurm;
  private final ClusterFiles files;
  private final SlurmSettings settings;
  private final String workdir;
  private final Facts facts;
  private final String runId;
  private final Allocation allocation;

  BatchJobs(
      SlurmCommands slurm,
      ClusterFiles files,
      SlurmSettings settings,
      String workdir,
      Facts facts,
      String runId) {
    this.slurm = slurm;
    this.files = files;
    this.settings = settings;
    this.workdir = workdir;
    this.facts = facts;
    this.runId = runId;
    this.allocation = new Allocation(slurm, settings, facts, runId);
  }

  SlurmCommands slurm() {
    return slurm;
  }

  /**
   * The allocation {@code hold_allocation: true} holds: taken by provision, released by teardown.
   */
  Allocation allocation() {
    return allocation;
  }

  SlurmSettings settings() {
    return settings;
  }

  String workdir() {
    return workdir;
  }

  ClusterFiles files() {
    return files;
  }

  /** How long a retry waits for a requeued job to be pending again before submitting anew. */
  static final java.time.Duration REQUEUE_SETTLE = java.time.Duration.ofSeconds(15);

  /** Submits the attempt's job, or adopts the one already in the queue under its name. */
  DetachedProcess start(DetachedSpec spec) throws InterruptedException {
    Map<String, String> env = spec.command().env();
    String key = key(spec.name());
    JobFolder folder = new JobFolder(files, workdir, key);
    if (settings.holdAllocation()) {
      return startHeld(spec, key, folder);
    }
    // Only a key that was ever about to be submitted can have a job in the queue: the intent is
    // journaled before every sbatch, so a first submit skips the squeue (one Slurm RPC less
    // between the train step's start and the job's), and a resumed one always looks.
    String intent = jobFact(key) + ".submitting";
    boolean submittedBefore = facts.get(intent).isPresent() || facts.get(jobFact(key)).isPresent();
    Optional<JobInfo> queued = requeuing(facts.get(jobFact(key)));
    if (queued.isEmpty() && submittedBefore) {
      queued = queuedByName(jobName(key));
    }
    if (queued.isPresent()) {
      facts.put(jobFact(key), queued.get().id());
      folder.narrate(
          "job " + queued.get().id() + " of this attempt is already in the queue: following it");
      return new BatchJob(
          this, key, folder, queued.get().id(), spec.watchPath(), queued.get().restarts());
    }
    Map<String, String> jobEnv = new LinkedHashMap<>(env);
    jobEnv.putAll(launcherEnv());
    folder.write(spec.command().argv(), jobEnv, spec.secrets(), spec.watchPath());
    if (!submittedBefore) {
      facts.put(intent, "yes");
    }
    String id = submit(key, folder, 1, timeLimit(spec));
    return new BatchJob(this, key, folder, id, spec.watchPath(), 0);
  }

  /**
   * The attempt as a step of the held allocation: follows the step of its name when one runs (a
   * resumed runctl), else writes the job folder and starts the batch script detached on the login
   * node, which starts the step with srun.
   */
  private HeldStep startHeld(DetachedSpec spec, String key, JobFolder folder)
      throws InterruptedException {
    String alloc =
        allocation
            .id()
            .orElseThrow(
                () ->
                    StepException.fatal(
                        "hold_allocation: true, but no allocation is held: the train step ran"
                            + " before any provision step",
                        "add a provision step before train (it takes the allocation)"));
    facts.put(jobFact(key), alloc);
    if (!HeldStep.steps(slurm, alloc, jobName(key)).isEmpty()) {
      folder.narrate("the step of this attempt runs in allocation " + alloc + ": following it");
      return new HeldStep(this, key, folder, alloc, spec.watchPath(), false);
    }
    Map<String, String> jobEnv = new LinkedHashMap<>(spec.command().env());
    jobEnv.putAll(launcherEnv());
    jobEnv.put("RUNCTL_ALLOCATION", alloc);
    jobEnv.put("RUNCTL_ALLOCATION_NODES", Integer.toString(settings.nodes()));
    jobEnv.put("RUNCTL_STEP_NAME", jobName(key));
    folder.write(spec.command().argv(), jobEnv, spec.secrets(), spec.watchPath());
    SlurmCommands.Result r =
        slurm.run(List.of("setsid", "-f", "bash", folder.script(), folder.dir(), "held"), true);
    if (!r.ok()) {
      throw StepException.transientError(
          "cannot start the training in allocation " + alloc + ": " + r.said(), null, null);
    }
    return new HeldStep(this, key, folder, alloc, spec.watchPath(), true);
  }

  private Map<String, String> launcherEnv() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put(
        "RUNCTL_LAUNCHER",
        settings.launcher() == SlurmSettings.Launcher.TORCHRUN ? "torchrun" : "");
    env.put(
        "RUNCTL_PROCS_PER_NODE",
        settings.gpusPerNode().filter(g -> g > 0).map(String::valueOf).orElse("1"));
    return env;
  }

  /** Submits (again) the job of {@code key} as segment {@code segment}; journals its id. */
  String submit(String key, JobFolder folder, int segment, Optional<String> time)
      throws InterruptedException {
    List<String> argv = new ArrayList<>();
    argv.add("sbatch");
    argv.add("--parsable");
    argv.add("--job-name=" + jobName(key));
    argv.add("--chdir=" + workdir);
    argv.add("--output=" + folder.output());
    argv.add("--open-mode=append");
    argv.add("--requeue");
    argv.add("--signal=B:USR1@" + Math.max(1, settings.signalGrace().toSeconds()));
    argv.addAll(settings.resourceOptions());
    time.ifPresent(t -> argv.add("--time=" + t));
    argv.addAll(settings.extraSbatch());
    argv.add(folder.script());
    argv.add(folder.dir());
    SlurmCommands.Result r = slurm.submit(argv);
    if (!r.ok()) {
      throw StepException.fatal(
          "sbatch refused the training job: " + r.said(),
          "check the target's partition, account, qos and resource settings (sinfo, scontrol show"
              + " partition) and extra_sbatch");
    }
    String id = r.stdout().strip().split(";")[0];
    facts.put(jobFact(key), id);
    facts.put(jobFact(key) + ".segment." + segment, id);
    return id;
  }

  /**
   * {@code --time} from the step's timeout, in whole minutes (rounded up); none with {@code
   * continue_past_time_limit}, where the step's timeout bounds the whole training and the
   * partition's limit (or extra_sbatch's --time, which comes later and wins) each segment.
   */
  private Optional<String> timeLimit(DetachedSpec spec) {
    if (settings.continuePastTimeLimit()) {
      return Optional.empty();
    }
    return spec.timeLimit().map(d -> Long.toString(Math.max(1, (d.toSeconds() + 59) / 60)));
  }

  /** The job recorded for {@code handle} ({@code slurm:<key>}), while Slurm still knows of it. */
  Optional<DetachedProcess> attach(String handle) throws InterruptedException {
    if (!handle.startsWith("slurm:")) {
      return Optional.empty();
    }
    String key = handle.substring("slurm:".length());
    if (settings.holdAllocation()) {
      return attachHeld(key);
    }
    Optional<String> id = facts.get(jobFact(key));
    if (id.isEmpty()) {
      return Optional.empty();
    }
    JobFolder folder = new JobFolder(files, workdir, key);
    Optional<JobInfo> info = info(id.get());
    boolean ended = info.map(i -> !i.active()).orElse(true);
    boolean resumable =
        info.map(i -> i.state().equals("TIMEOUT")).orElse(false)
            && settings.continuePastTimeLimit();
    boolean hasExit =
        folder.exitCodeOf(id.get()).isPresent()
            || info.map(i -> i.state().equals("COMPLETED") || i.state().equals("FAILED"))
                .orElse(false);
    if (ended && !hasExit && !resumable) {
      return Optional.empty(); // timed out, preempted, cancelled or forgotten: a new job resumes it
    }
    BatchJob job =
        new BatchJob(
            this, key, folder, id.get(), folder.watchPath(), info.map(JobInfo::restarts).orElse(0));
    if (resumable) {
      job.forgetSegmentStart();
    }
    return Optional.of(job);
  }

  private Optional<DetachedProcess> attachHeld(String key) throws InterruptedException {
    Optional<String> alloc = allocation.id();
    if (alloc.isEmpty()) {
      return Optional.empty();
    }
    JobFolder folder = new JobFolder(files, workdir, key);
    if (folder.exitCodeOf(alloc.get()).isEmpty()
        && HeldStep.steps(slurm, alloc.get(), jobName(key)).isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new HeldStep(this, key, folder, alloc.get(), folder.watchPath(), false));
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
    String prefix = "runctl-" + safe(runId) + "-";
    List<String[]> out = new ArrayList<>();
    for (String line : slurm.output(List.of("squeue", "-h", "-o", "%i|%j|%T|%N")).split("\n")) {
      String[] f = line.strip().split("\\|", -1);
      if (f.length == 4 && f[1].startsWith(prefix)) {
        out.add(f);
      }
    }
    return out;
  }

  /** Cancels every job of the run and waits until none is left in the queue. */
  void cancelAll(StepLog log) throws InterruptedException {
    Set<String> ids = new LinkedHashSet<>();
    active().forEach(f -> ids.add(f[0]));
    if (!ids.isEmpty()) {
      List<String> argv = new ArrayList<>(List.of("scancel"));
      argv.addAll(ids);
      slurm.run(argv);
      log.line("cancelled Slurm job(s) " + String.join(", ", ids));
      awaitGone(ids);
    } else {
      log.line("no Slurm job of this run is queued or running");
    }
    int removed = 0;
    for (String key : keys()) {
      removed += new JobFolder(files, workdir, key).removeEnv() ? 1 : 0;
    }
    if (removed > 0) {
      log.line("removed the environment file(s) of " + removed + " batch job(s)");
    }
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

  private List<String> keys() {
    List<String> out = new ArrayList<>();
    for (String k : facts.all().keySet()) {
      if (k.startsWith("slurm.job.") && !k.contains(".segment.") && !k.endsWith(".submitting")) {
        out.add(k.substring("slurm.job.".length()));
      }
    }
    return out;
  }

  /**
   * The job this key last ran as, when Slurm requeued it and it is on its way back: right after a
   * requeue (the retry of the interruption it raised comes at once) the job can still show its
   * run's end, FAILED, and squeue leaves it out; a submit then would run a second job beside it.
   * Waits up to {@link #REQUEUE_SETTLE} for it to be pending or running again.
   */
  private Optional<JobInfo> requeuing(Optional<String> known) throws InterruptedException {
    if (known.isEmpty()) {
      return Optional.empty();
    }
    long deadline = System.nanoTime() + REQUEUE_SETTLE.toNanos();
    while (true) {
      Optional<JobInfo> job = info(known.get());
      if (job.isEmpty() || job.get().restarts() == 0 || job.get().active()) {
        return job.filter(j -> j.restarts() > 0 && j.active());
      }
      if (System.nanoTime() > deadline) {
        return Optional.empty();
      }
      Thread.sleep(200);
    }
  }

  private Optional<JobInfo> queuedByName(String name) throws InterruptedException {
    String ids = slurm.output(List.of("squeue", "-h", "--name=" + name, "-o", "%i")).strip();
    if (ids.isEmpty()) {
      return Optional.empty();
    }
    return info(ids.split("\\s+")[0]);
  }

  int segments(String key) {
    String prefix = jobFact(key) + ".segment.";
    return (int) facts.all().keySet().stream().filter(k -> k.startsWith(prefix)).count();
  }

  /**
   * The job key of a process name: the run and the name, the same for every attempt and resume (as
   * Machine#start asks), so that the name finds the job and squeue finds it by its job name.
   */
  String key(String name) {
    return safe(runId + "-" + name);
  }

  static String jobName(String key) {
    return "runctl-" + key;
  }

  static String jobFact(String key) {
    return "slurm.job." + key;
  }

  private static String safe(String s) {
    return s.replaceAll("[^A-Za-z0-9_.-]", "_");
  }
}
