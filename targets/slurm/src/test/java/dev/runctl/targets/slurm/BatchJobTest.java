package dev.runctl.targets.slurm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.runctl.engine.spi.CommandSpec;
import dev.runctl.engine.spi.DetachedSpec;
import dev.runctl.engine.spi.ErrorClass;
import dev.runctl.engine.spi.MemoryFacts;
import dev.runctl.engine.spi.ProcessPoll;
import dev.runctl.engine.spi.StepException;
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
  void aRetryRightAfterARequeueWaitsForTheJobInsteadOfSubmittingASecond() throws Exception {
    BatchJobs jobs = jobs(false);
    BatchJob job = (BatchJob) jobs.start(spec());
    slurm.set(job.jobId(), "FAILED", 1); // the requeued run's end: squeue no longer lists it
    catchThrowableOfType(StepException.class, () -> job.poll(0));
    Thread back =
        new Thread(
            () -> {
              try {
                Thread.sleep(600);
              } catch (InterruptedException e) {
                return;
              }
              slurm.set(job.jobId(), "PENDING", 1);
            });
    back.start();
    BatchJob retry = (BatchJob) jobs.start(spec());
    back.join();
    assertThat(retry.jobId()).isEqualTo(job.jobId());
    assertThat(slurm.sbatchCalls).hasSize(1);
    assertThat(retry.poll(0).state()).isEqualTo(ProcessPoll.State.RUNNING);
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
