package dev.runctl.engine.spi;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** One run's view of a backend. Opened by its {@link TargetProvider} once per run process. */
public interface Target extends AutoCloseable {

  /**
   * Makes the run's machine exist and be reachable, or finds the one already made for this run:
   * never a second one. Records what it creates in the run's facts the moment it exists. What
   * {@link #destroyKeepingProgress} kept is on the machine before this returns: a resume that sets
   * the machine up again runs the steps after a succeeded train (a verify) without the train.
   */
  Machine provision(StepLog log) throws InterruptedException;

  /**
   * The run's current machine. Without a provision step the local target answers with this machine,
   * in place in the workdir; a target that needs provisioning throws a {@link StepException}.
   */
  Machine machine() throws InterruptedException;

  /**
   * Puts {@code request.files()} (read from {@code request.localRoot()}) into the store that the
   * next {@link Machine#sync} takes them from, before any machine exists: only what the store lacks
   * is sent, and no machine is touched ({@code mustExist} is not checked); {@code filesDeleted} and
   * {@code missing} of the answer are empty. The planner adds the step that calls it only when the
   * target's config {@link TargetConfig#stagesFiles()}. A target without such a store (the default)
   * stages nothing: its {@link Machine#sync} sends every file itself.
   */
  default SyncResult stage(SyncRequest request) throws InterruptedException {
    return new SyncResult(0, 0, 0, java.util.List.of());
  }

  /**
   * Says that a {@link #stage} is coming: the step is about to hash the workdir. Returns at once; a
   * target may get ready meanwhile (the aws target checks the bucket and lists the blobs it has),
   * and leaves any failure for {@link #stage} to report. By default nothing.
   */
  default void prepareStage() {}

  /** Destroys everything the run's facts record; a resource already gone is success. */
  void destroy(StepLog log) throws InterruptedException;

  /**
   * The teardown of a run that failed: destroys like {@link #destroy}, but keeps what lets a resume
   * continue where the run stopped (a target whose checkpoints live only on the machine moves them
   * aside, and {@link #provision} puts them back on the next machine). By default {@link #destroy}:
   * a target whose checkpoints outlive the machine anyway (in a bucket) has nothing to keep.
   */
  default void destroyKeepingProgress(StepLog log) throws InterruptedException {
    destroy(log);
  }

  /** Resources of this run that are still alive, described for a user ("i-0abc running"). */
  List<String> liveResources() throws InterruptedException;

  /** What the run's machines have cost up to {@code now}; empty when the target has no prices. */
  default Optional<BigDecimal> costUntil(Instant now) {
    return Optional.empty();
  }

  @Override
  default void close() {}
}
