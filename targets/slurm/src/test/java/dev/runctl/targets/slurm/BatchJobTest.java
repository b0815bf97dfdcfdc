package dev.runctl.targets.slurm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.runctl.engine.spi.CommandSpec;
import dev.runctl.engine.spi.DetachedProcess;
import dev.runctl.engine.spi.DetachedSpec;
import dev.runctl.engine.spi.ErrorClass;
import dev.runctl.engine.spi.MemoryFacts;
import dev.runctl.engine.spi.ProcessPoll;
import dev.runctl.engine.spi.StepException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How what Slurm reports of a job becomes runctl's outcome, and one job per attempt. */
class BatchJobTest {
  @TempDir Path workdir;
  final FakeSlurm slurm = new FakeSlurm();
  final MemoryFacts facts = new MemoryFacts();

  private BatchJobs jobs(boolean continuePast) {
    return jobs(slurm, workdir, facts, continuePast);
  }

  /** Jobs of run-1 through {@code slurm}, with {@code workdir} as the shared workdir. */
  static BatchJobs jobs(FakeSlurm slurm, Path workdir, MemoryFacts facts, boolean continuePast) {
    SlurmSettings s =
        new SlurmSettings(
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.of("1G"),
            1,
            Optional.empty(),
            List.of(),
            Optional.of(workdir.toString()),
            continuePast,
            SlurmSettings.Launcher.DIRECT,
            Duration.ofMinutes(2),
            false,
            Optional.empty());
    return new BatchJobs(slurm, new HereFiles(), s, workdir.toString(), facts, "run-1");
  }

  private static DetachedSpec spec() {
    return new DetachedSpec(
        "train-train",
        CommandSpec.of(
            List.of("python3", "train.py"),
            Map.of("RUNCTL_STEP_ID", "train", "RUNCTL_ATTEMPT", "1", "TOKEN", "s3cret")),
        Optional.of("checkpoints"),
        List.of("s3cret"),
        Optional.of(Duration.ofSeconds(90)));
  }

  private StepException endedAs(String state) throws Exception {
    BatchJob job = (BatchJob) jobs(false).start(spec());
    slurm.set(job.jobId(), state, 0);
    return catchThrowableOfType(StepException.class, () -> job.poll(0));
  }

  @Test
  void outOfMemoryIsAFailureThatSaysSoAndIsNotRetried() throws Exception {
    StepException e = endedAs("OUT_OF_MEMORY");
    assertThat(e.errorClass()).isEqualTo(ErrorClass.FAILURE);
    assertThat(e.retryable()).isFalse();
    assertThat(e.getMessage()).contains("ran out of memory");
    assertThat(e.hint()).hasValueSatisfying(h -> assertThat(h).contains("mem"));
  }

  @Test
  void preemptionAndNodeFailureAreInterruptions() throws Exception {
    assertThat(endedAs("PREEMPTED").errorClass()).isEqualTo(ErrorClass.INTERRUPTION);
    assertThat(endedAs("NODE_FAIL").errorClass()).isEqualTo(ErrorClass.INTERRUPTION);
  }

  @Test
  void theTimeLimitIsATimeout() throws Exception {
    assertThat(endedAs("TIMEOUT").errorClass()).isEqualTo(ErrorClass.TIMEOUT);
    assertThat(endedAs("DEADLINE").errorClass()).isEqualTo(ErrorClass.TIMEOUT);
  }

  @Test
  void aRequeueWhileRunningIsAnInterruptionAndTheRetryFollowsTheSameJob() throws Exception {
    BatchJobs jobs = jobs(false);
    BatchJob job = (BatchJob) jobs.start(spec());
    slurm.set(job.jobId(), "PENDING", 1);
    StepException e = catchThrowableOfType(StepException.class, () -> job.poll(0));
    assertThat(e.errorClass()).isEqualTo(ErrorClass.INTERRUPTION);
    assertThat(e.getMessage()).contains("Slurm requeued job " + job.jobId());
    BatchJob again = (BatchJob) jobs.attach(job.handle()).orElseThrow();
    assertThat(again.jobId()).isEqualTo(job.jobId());
    assertThat(again.poll(0).state()).isEqualTo(ProcessPoll.State.RUNNING);
  }

  @Test
  void aRequeueIsSeenWhateverStateTheJobPassesThrough() throws Exception {
    BatchJob job = (BatchJob) jobs(false).start(spec());
    slurm.set(job.jobId(), "FAILED", 1); // the requeued run's end, before it is pending again
    StepException e = catchThrowableOfType(StepException.class, () -> job.poll(0));
    assertThat(e).isNotNull();
    assertThat(e.errorClass()).isEqualTo(ErrorClass.INTERRUPTION);
  }

  @Test
  void aStartThatFindsTheRequeuedJobEndedRequeuesItInsteadOfSubmittingASecond() throws Exception {
    BatchJobs jobs = jobs(false);
    BatchJob job = (BatchJob) jobs.start(spec());
    slurm.set(job.jobId(), "FAILED", 1); // requeued, then its new run ended: squeue leaves it out
    catchThrowableOfType(StepException.class, () -> job.poll(0));
    BatchJob retry = (BatchJob) jobs.start(spec());
    assertThat(retry.jobId()).isEqualTo(job.jobId());
    assertThat(slurm.sbatchCalls).hasSize(1);
    assertThat(retry.poll(0).state())
        .as("Restarts grew with runctl's own requeue: no interruption of its own")
        .isEqualTo(ProcessPoll.State.RUNNING);
    assertThat(Files.readString(jobFolder().resolve("out")))
        .contains("requeued the same job once more instead of submitting a second one");
  }

  @Test
  void aJobThatEndedWithoutARequeueIsSubmittedAnewNotRequeued() throws Exception {
    BatchJobs jobs = jobs(false);
    BatchJob job = (BatchJob) jobs.start(spec());
    slurm.set(job.jobId(), "FAILED", 0);
    BatchJob retry = (BatchJob) jobs.start(spec());
    assertThat(retry.jobId()).isNotEqualTo(job.jobId());
    assertThat(slurm.sbatchCalls).hasSize(2);
  }

  /**
   * Seen under load in SlurmScenariosIT: Slurm requeued the running job, and the new run of the
   * same job id ended (its launch failed) before the retry looked. The killed script's record of
   * the run before ("id 0 143") read as the job's end, and the retry submitted a second job.
   */
  @Test
  void aRequeuedJobWhoseNewRunEndedAtOnceIsRequeuedAgainNotSubmittedASecondTime() throws Exception {
    BatchJobs jobs = jobs(false);
    BatchJob job = (BatchJob) jobs.start(spec());
    StepException e = requeueWhileRunning(job);
    assertThat(e.errorClass()).isEqualTo(ErrorClass.INTERRUPTION);
    slurm.set(job.jobId(), "FAILED", 1); // the requeued run's launch failed: Slurm ends it there

    BatchJob retry = retryAsTheTrainStepDoes(jobs, job.handle());
    assertThat(retry.jobId()).isEqualTo(job.jobId());
    assertThat(slurm.sbatchCalls).as("one job for the attempt").hasSize(1);
    assertThat(slurm.commands).contains("scontrol");
    assertThat(retry.poll(0).state()).isEqualTo(ProcessPoll.State.RUNNING);
  }

  @Test
  void theExitCodeOfTheRunBeforeARequeueIsNotTheEndOfTheRequeuedRun() throws Exception {
    BatchJobs jobs = jobs(false);
    BatchJob job = (BatchJob) jobs.start(spec());
    requeueWhileRunning(job);
    BatchJob again = (BatchJob) jobs.attach(job.handle()).orElseThrow();
    slurm.set(job.jobId(), "FAILED", 1);
    StepException e = catchThrowableOfType(StepException.class, () -> again.poll(0));
    assertThat(e).as("not exit code 143 of the run Slurm requeued").isNotNull();
    assertThat(e.errorClass()).isEqualTo(ErrorClass.INTERRUPTION);
    Files.writeString(jobFolder().resolve("exit"), job.jobId() + " 1 0\n");
    slurm.set(job.jobId(), "COMPLETED", 1);
    ProcessPoll end = ((BatchJob) jobs.attach(job.handle()).orElseThrow()).poll(0);
    assertThat(end.state()).isEqualTo(ProcessPoll.State.EXITED);
    assertThat(end.exitCode()).hasValue(0);
  }

  @Test
  void aRetryWhileTheRequeuedJobIsStillCompletingFollowsIt() throws Exception {
    BatchJobs jobs = jobs(false);
    BatchJob job = (BatchJob) jobs.start(spec());
    requeueWhileRunning(job);
    BatchJob retry = retryAsTheTrainStepDoes(jobs, job.handle());
    assertThat(retry.jobId()).isEqualTo(job.jobId());
    assertThat(slurm.sbatchCalls).hasSize(1);
    assertThat(slurm.commands).doesNotContain("scancel");
  }

  private Path jobFolder() {
    return workdir.resolve(".runctl/jobs/run-1-train-train");
  }

  /** Slurm requeues the job while it runs; what runctl's next poll of it throws. */
  private StepException requeueWhileRunning(BatchJob job) throws Exception {
    slurm.requeue(job.jobId(), jobFolder());
    return catchThrowableOfType(StepException.class, () -> job.poll(0));
  }

  /** What TrainLauncher does on a retry: follows the journaled job, else starts the attempt. */
  private BatchJob retryAsTheTrainStepDoes(BatchJobs jobs, String handle) throws Exception {
    Optional<DetachedProcess> found = jobs.attach(handle);
    if (found.isPresent()) {
      ProcessPoll look = found.get().poll(Long.MAX_VALUE);
      boolean endedWell =
          look.state() == ProcessPoll.State.EXITED && look.exitCode().orElse(-1) == 0;
      if (look.state() == ProcessPoll.State.RUNNING || endedWell) {
        return (BatchJob) found.get();
      }
    }
    return (BatchJob) jobs.start(spec());
  }

  @Test
  void aSecondStartOfTheSameAttemptFollowsTheQueuedJobInsteadOfSubmitting() throws Exception {
    BatchJob first = (BatchJob) jobs(false).start(spec());
    BatchJob second =
        (BatchJob) jobs(false).start(spec()); // a runctl that died before journaling the handle
    assertThat(second.jobId()).isEqualTo(first.jobId());
    assertThat(slurm.sbatchCalls).hasSize(1);
    assertThat(facts.get("slurm.job.run-1-train-train")).hasValue(first.jobId());
  }

  @Test
  void aFirstSubmitAsksNoQueueButAStartAfterAnUnrecordedSubmitFindsItsJob() throws Exception {
    BatchJob first = (BatchJob) jobs(false).start(spec());
    assertThat(slurm.commands)
        .as("nothing of this key was ever submitted")
        .containsExactly("sbatch");
    // a runctl killed after sbatch returned, before it journaled the job id: only the intent is
    MemoryFacts resumed = new MemoryFacts();
    resumed.put("slurm.job.run-1-train-train.submitting", "yes");
    BatchJobs again =
        new BatchJobs(
            slurm, new HereFiles(), jobs(false).settings(), workdir.toString(), resumed, "run-1");
    BatchJob second = (BatchJob) again.start(spec());
    assertThat(second.jobId()).isEqualTo(first.jobId());
    assertThat(slurm.sbatchCalls).hasSize(1);
    assertThat(resumed.get("slurm.job.run-1-train-train")).hasValue(first.jobId());
  }

  @Test
  void theSubmitCarriesNoEnvironmentValueAndTheStepTimeoutAsTime() throws Exception {
    jobs(false).start(spec());
    List<String> argv = slurm.sbatchCalls.get(0);
    assertThat(String.join(" ", argv)).doesNotContain("s3cret").doesNotContain("TOKEN");
    assertThat(argv)
        .contains("--time=2", "--requeue", "--mem=1G", "--job-name=runctl-run-1-train-train")
        .anyMatch(a -> a.startsWith("--signal=B:USR1@120"));
  }

  @Test
  void aJobThatEndedBadlyIsNotReattachedSoTheNextAttemptSubmitsAgain() throws Exception {
    BatchJobs jobs = jobs(false);
    BatchJob job = (BatchJob) jobs.start(spec());
    slurm.set(job.jobId(), "PREEMPTED", 0);
    assertThat(jobs.attach(job.handle())).isEmpty();
  }
}
