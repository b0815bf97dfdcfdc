package dev.runctl.targets.slurm;

import dev.runctl.engine.spi.DetachedProcess;
import dev.runctl.engine.spi.ProcessPoll;
import dev.runctl.engine.spi.StepException;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * One training attempt's batch job, followed through {@code scontrol show job}, its output file and
 * the exit code its batch script records. What Slurm reports maps to runctl's outcomes (see
 * docs/slurm.md): a requeue, preemption or node failure is an interruption, the time limit a
 * timeout (or, with {@code continue_past_time_limit}, a new segment of the same attempt once the
 * job checkpointed), running out of memory and a cancel by someone else are failures that say so.
 */
final class BatchJob implements DetachedProcess {
  private static final int MAX_CHUNK = 1 << 20;

  /**
   * How long a poll of a quiet job watches its output file (every 50 ms) before it answers: the
   * first line reaches the log as it comes instead of up to a poll interval later, and a quiet job
   * costs one scontrol every few seconds. An exit code recorded meanwhile ends the wait.
   */
  private static final Duration LONG_POLL = Duration.ofSeconds(3);

  private final BatchJobs jobs;
  private final String key;
  private final JobFolder folder;
  private final Optional<String> watchPath;
  private String id;
  private int restarts;
  private String segmentStart;
  private boolean terminated;

  BatchJob(
      BatchJobs jobs,
      String key,
      JobFolder folder,
      String id,
      Optional<String> watchPath,
      int restarts)
      throws InterruptedException {
    this.jobs = jobs;
    this.key = key;
    this.folder = folder;
    this.id = id;
    this.watchPath = watchPath;
    this.restarts = restarts;
    this.segmentStart = signature();
  }

  /** After a restart, whether the ended segment checkpointed is not known: assume it did. */
  void forgetSegmentStart() {
    segmentStart = "unknown";
  }

  @Override
  public String handle() {
    return "slurm:" + key;
  }

  /** The current Slurm job id (it changes with each time-limit segment). */
  String jobId() {
    return id;
  }

  @Override
  public ProcessPoll poll(long outputOffset) throws InterruptedException {
    Optional<JobInfo> info = jobs.queue().info(id);
    // a short long-poll of a running job: the first line shows as it comes
    boolean wait = info.map(JobInfo::active).orElse(false) && !terminated;
    byte[] out = folder.readOutput(outputOffset, MAX_CHUNK, wait ? LONG_POLL : Duration.ZERO);
    long next = outputOffset + out.length;
    String signature = signature();
    if (info.isEmpty()) { // Slurm forgot the job (MinJobAge): the recorded exit code tells
      OptionalInt code = folder.exitCodeOf(id);
      return new ProcessPoll(
          code.isPresent() ? ProcessPoll.State.EXITED : ProcessPoll.State.LOST,
          code,
          out,
          next,
          signature);
    }
    JobInfo job = info.get();
    // a requeue, whatever state the job passes through meanwhile; said at once, even with output
    // unread: the next attempt's follower copies it from the mark
    if (job.restarts() > restarts && !terminated) {
      restarts = job.restarts();
      throw StepException.interruption(
          "Slurm requeued job " + id + " (" + job.reason() + "; preempted, or its node failed)",
          "it runs again when Slurm starts it; with retry.on: [interruption] runctl follows it"
              + " again, and the script resumes from RUNCTL_CHECKPOINT_DIR");
    }
    if (job.active()) {
      // waiting in the queue is not a hang: a pending job counts as progress
      String watch = job.state().equals("PENDING") ? "pending-" + System.nanoTime() : signature;
      return new ProcessPoll(ProcessPoll.State.RUNNING, OptionalInt.empty(), out, next, watch);
    }
    OptionalInt recorded = folder.exitCodeOf(id, job.restarts());
    // after a requeue, a job that ended without this run's record is ended()'s to explain
    boolean exited = job.endedUnrequeued() || recorded.isPresent() && job.scriptEnded();
    if (terminated || exited) {
      int code = recorded.orElse(terminated ? 143 : job.scriptExitCode());
      return new ProcessPoll(ProcessPoll.State.EXITED, OptionalInt.of(code), out, next, signature);
    }
    if (out.length > 0) { // hand over what it wrote before saying how it ended
      return new ProcessPoll(ProcessPoll.State.RUNNING, OptionalInt.empty(), out, next, signature);
    }
    if (job.state().equals("TIMEOUT") && jobs.settings().continuePastTimeLimit()) {
      return continuePastTimeLimit(job, next, signature);
    }
    throw ended(job);
  }

  private ProcessPoll continuePastTimeLimit(JobInfo job, long next, String signature)
      throws InterruptedException {
    if (watchPath.isPresent() && signature.equals(segmentStart)) {
      throw StepException.timeout(
          "job "
              + id
              + " reached its time limit without writing a checkpoint since it started;"
              + " not submitting it again (it would not get further)",
          "make the script save a checkpoint under RUNCTL_CHECKPOINT_DIR when it receives SIGUSR1"
              + " (docs/slurm.md), or raise the time limit");
    }
    int segment = jobs.segments(key) + 1;
    String old = id;
    id = jobs.submit(key, folder, segment, Optional.empty());
    restarts = 0;
    segmentStart = signature;
    folder.narrate(
        "job "
            + old
            + " reached its time limit after checkpointing; continuing as job "
            + id
            + " (segment "
            + segment
            + ")");
    return new ProcessPoll(
        ProcessPoll.State.RUNNING, OptionalInt.empty(), new byte[0], next, "segment-" + id);
  }

  private StepException ended(JobInfo job) {
    String at = "job " + id + (job.nodes().equals("(null)") ? "" : " on " + job.nodes());
    return switch (job.state()) {
      case "COMPLETED", "FAILED" -> // after a requeue, with no record of this run's end
          StepException.interruption(
              "Slurm requeued "
                  + at
                  + ", and its new run ended "
                  + job.state()
                  + " ("
                  + job.reason()
                  + ") before the training did (its launch failed?)",
              "a retry (retry.on: [interruption]) requeues the same job once more; the script"
                  + " resumes from RUNCTL_CHECKPOINT_DIR");
      case "TIMEOUT", "DEADLINE" ->
          StepException.timeout(
              at + " reached its time limit (" + job.state() + ") and Slurm stopped it",
              "set continue_past_time_limit: true to submit it again from its checkpoint, or add"
                  + " timeout to retry.on");
      case "PREEMPTED", "NODE_FAIL", "BOOT_FAIL" ->
          StepException.interruption(
              at + " ended with " + job.state() + " (" + job.reason() + ")",
              "a retry (retry.on: [interruption]) submits it again; the script resumes from"
                  + " RUNCTL_CHECKPOINT_DIR");
      case "OUT_OF_MEMORY" ->
          new StepException(
              dev.runctl.engine.spi.ErrorClass.FAILURE,
              false,
              at + " ran out of memory (OUT_OF_MEMORY): Slurm killed it",
              "ask for more with the target's mem setting, or use less (a smaller batch)",
              null);
      case "CANCELLED" ->
          new StepException(
              dev.runctl.engine.spi.ErrorClass.FAILURE,
              false,
              at
                  + " was cancelled outside runctl (scancel or an administrator; Slurm keeps no"
                  + " record of who without accounting)",
              "resume the run to submit it again",
              null);
      default ->
          StepException.failure(
              at + " ended with state " + job.state() + " (" + job.reason() + ")",
              "see scontrol show job " + id);
    };
  }

  @Override
  public void terminate(Duration grace) throws InterruptedException {
    terminated = true;
    jobs.queue().cancel(id);
    jobs.queue().awaitGone(Set.of(id));
  }

  private String signature() throws InterruptedException {
    if (watchPath.isEmpty()) {
      return "none";
    }
    String p = watchPath.get();
    return jobs.files().signature(p.startsWith("/") ? p : jobs.workdir() + "/" + p);
  }
}
