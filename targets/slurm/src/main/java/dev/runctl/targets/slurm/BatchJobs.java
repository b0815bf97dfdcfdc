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
import java.util.OptionalInt;
import java.util.Set;

/**
 * The run's batch jobs: submits one per training attempt (named {@code
 * runctl-<run>-<step>-<attempt>} and looked for by that name with {@code squeue} before any submit,
 * so that a resumed runctl never submits a second job for the same attempt), journals each job id
 * the moment sbatch returns it ({@code slurm.job.<key>}, and {@code slurm.job.<key>.segment.<n>}
 * per time-limit segment), finds them again (through {@link SlurmQueue}), and cancels them.
 */
final class BatchJobs {
  private final SlurmCommands slurm;
  private final ClusterFiles files;
  private final SlurmSettings settings;
  private final String workdir;
  private final Facts facts;
  private final String runId;
  private final Allocation allocation;
  private final SlurmQueue queue;

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
    this.queue = new SlurmQueue(slurm, safe(runId));
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

  /** What Slurm's queue knows of the run's jobs. */
  SlurmQueue queue() {
    return queue;
  }

  /** The run's durable facts, where the job ids are journaled. */
  Facts facts() {
    return facts;
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

  /** Submits the attempt's job, or adopts the one already in the queue under its name. */
  DetachedProcess start(DetachedSpec spec) throws InterruptedException {
    Map<String, String> env = spec.command().env();
    String key = key(spec.name());
    JobFolder folder = new JobFolder(files, workdir, key);
    if (settings.holdAllocation()) {
      return HeldStep.start(this, spec, key, folder);
    }
    // Only a key that was ever about to be submitted can have a job in the queue: the intent is
    // journaled before every sbatch, so a first submit skips the squeue (one Slurm RPC less
    // between the train step's start and the job's), and a resumed one always looks.
    String intent = jobFact(key) + ".submitting";
    boolean submittedBefore = facts.get(intent).isPresent() || facts.get(jobFact(key)).isPresent();
    Optional<JobInfo> queued = journaled(key, folder);
    if (queued.isEmpty() && submittedBefore) {
      queued = queue.queuedByName(jobName(key));
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
   * The job journaled for {@code key} while it can still run: in any state Slurm holds a job in on
   * its way (pending, for its BeginTime too after a requeue, completing, requeued, held, running)
   * it is followed. One Slurm requeued ({@code Restarts} above 0) whose new run then ended (its
   * launch failed, or it ended before the batch script recorded how) is requeued once more under
   * its id: a submit would run a second job for the attempt beside it. Empty when Slurm forgot the
   * job or it ended without ever being requeued: the attempt then submits anew.
   */
  private Optional<JobInfo> journaled(String key, JobFolder folder) throws InterruptedException {
    Optional<String> id = facts.get(jobFact(key));
    Optional<JobInfo> job = id.isPresent() ? queue.info(id.get()) : Optional.empty();
    if (job.isEmpty() || job.get().active() || job.get().restarts() == 0) {
      return job.filter(JobInfo::active);
    }
    Optional<JobInfo> again = queue.requeue(job.get());
    if (again.isPresent()) {
      folder.narrate(
          "Slurm requeued job "
              + job.get().id()
              + ", and its run ended "
              + job.get().state()
              + " ("
              + job.get().reason()
              + "): requeued the same job once more instead of submitting a second one");
    }
    return again;
  }

  /** What the batch script reads to launch the training (srun or torchrun, processes per node). */
  Map<String, String> launcherEnv() {
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
      return HeldStep.attach(this, key);
    }
    Optional<String> id = facts.get(jobFact(key));
    if (id.isEmpty()) {
      return Optional.empty();
    }
    JobFolder folder = new JobFolder(files, workdir, key);
    Optional<JobInfo> info = queue.info(id.get());
    boolean ended = info.map(i -> !i.active()).orElse(true);
    boolean resumable =
        info.map(i -> i.state().equals("TIMEOUT")).orElse(false)
            && settings.continuePastTimeLimit();
    // the end of the job's last run: its own record (not the one of a run Slurm requeued)
    OptionalInt recorded =
        info.isEmpty()
            ? folder.exitCodeOf(id.get())
            : folder.exitCodeOf(id.get(), info.get().restarts());
    boolean hasExit = recorded.isPresent() || info.map(JobInfo::endedUnrequeued).orElse(false);
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

  /** Cancels every job of the run and waits until none is left in the queue. */
  void cancelAll(StepLog log) throws InterruptedException {
    Set<String> ids = new LinkedHashSet<>();
    queue.active().forEach(f -> ids.add(f[0]));
    if (!ids.isEmpty()) {
      List<String> argv = new ArrayList<>(List.of("scancel"));
      argv.addAll(ids);
      slurm.run(argv);
      log.line("cancelled Slurm job(s) " + String.join(", ", ids));
      queue.awaitGone(ids);
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

  private List<String> keys() {
    List<String> out = new ArrayList<>();
    for (String k : facts.all().keySet()) {
      if (k.startsWith("slurm.job.") && !k.contains(".segment.") && !k.endsWith(".submitting")) {
        out.add(k.substring("slurm.job.".length()));
      }
    }
    return out;
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

  static String safe(String s) {
    return s.replaceAll("[^A-Za-z0-9_.-]", "_");
  }
}
