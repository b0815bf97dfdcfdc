package dev.runctl.engine.exec;

import dev.runctl.engine.ErrorCategory;
import dev.runctl.engine.RunctlException;
import dev.runctl.engine.plan.PlannedStep;
import dev.runctl.engine.spec.When;
import dev.runctl.engine.state.JournalRecord;
import dev.runctl.engine.state.StepStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The run loop, on one thread: launches decided steps onto the pool up to the parallelism, journals
 * each step's end and then decides its dependents. They need not wait for the fsync: the journal
 * writes in order, so nothing a dependent records can reach the disk before the end it followed.
 * Watches for cancel requests, budget breaches and a failing journal.
 */
final class Coordinator {
  private sealed interface Msg {}

  /** A worker finished a step; its slot is free. The end becomes durable later. */
  private record Finished(StepWorker.Done done) implements Msg {}

  /** The journal could not write a step's end: the run cannot go on. */
  private record JournalFailed(Throwable error) implements Msg {}

  private record Ended(String step, StepStatus status) {}

  private final RunScope scope;
  private final ExecSettings settings;
  private final ExecutorService pool;
  private final Schedule schedule;
  private final StepWorker worker;
  private final RunControl control;
  private final Map<String, Integer> attempts;
  private final RunGuards guards;
  private final dev.runctl.engine.state.Snapshotter snapshotter;
  private final BlockingQueue<Msg> inbox = new LinkedBlockingQueue<>();
  private final BlockingQueue<Optional<PlannedStep>> ready = new LinkedBlockingQueue<>();
  private final List<PlannedStep> parked = new ArrayList<>();
  private final ArrayDeque<Ended> undecided = new ArrayDeque<>();
  private int launched;
  private boolean snapshotWarned;
  private String failedStep;
  private volatile String stopReason;
  private boolean budgetBreached;

  Coordinator(
      RunScope scope,
      ExecSettings settings,
      ExecutorService pool,
      Schedule schedule,
      StepRunner runner,
      RunControl control,
      Map<String, Integer> attempts,
      Duration liveBefore,
      dev.runctl.engine.state.Snapshotter snapshotter) {
    this.snapshotter = snapshotter;
    this.scope = scope;
    this.settings = settings;
    this.pool = pool;
    this.schedule = schedule;
    this.worker = new StepWorker(scope, runner, attempts);
    this.control = control;
    this.attempts = attempts;
    this.guards = new RunGuards(scope, control, settings.tick(), liveBefore);
    control.onForce(
        () ->
            worker.forEachRunning(
                (id, h) -> {
                  h.cancel(control.reason().orElse("cancelled"));
                  h.force();
                }));
  }

  /**
   * Runs until every step has ended. The pool's threads take decided steps from the ready queue
   * themselves, so a thread that finishes a step starts the next without waiting for this one.
   */
  void run() throws InterruptedException {
    for (int i = 0; i < settings.parallelism(); i++) {
      pool.execute(this::work);
    }
    try {
      decideAll(schedule.decidable());
      // One turn per call, not one loop for all: a single long call never leaves the interpreter,
      // a method called once per turn is compiled after the first few.
      while (!schedule.allEnded()) {
        turn();
      }
    } finally {
      for (int i = 0; i < settings.parallelism(); i++) {
        ready.add(Optional.empty());
      }
    }
  }

  /** Handles the steps that ended (waiting up to a tick for one), then checks the guards. */
  private void turn() throws InterruptedException {
    if (launched == 0) {
      settleParked();
      if (launched == 0 && !schedule.allEnded()) {
        throw new IllegalStateException("the run cannot progress; steps left: " + pending());
      }
      return;
    }
    Msg m = inbox.poll(settings.tick().toMillis(), TimeUnit.MILLISECONDS);
    while (m != null) {
      handle(m);
      m = inbox.poll();
    }
    if (stopReason == null) {
      guards.check().ifPresent(st -> stop(st.reason(), st.budget()));
    }
    snapshot();
  }

  /** The snapshot is a cache of the journal: failing to write it warns once, never stops a run. */
  private void snapshot() {
    try {
      snapshotter.writeIfDue(scope.clock.now());
    } catch (RunctlException e) {
      if (!snapshotWarned) {
        snapshotWarned = true;
        scope.warn(Optional.empty(), e.getMessage() + " (the journal is intact; runs go on)");
      }
    }
  }

  boolean stopped() {
    return stopReason != null;
  }

  boolean budgetBreached() {
    return budgetBreached;
  }

  Optional<String> stopReason() {
    return Optional.ofNullable(stopReason);
  }

  Optional<String> failedStep() {
    return Optional.ofNullable(failedStep);
  }

  private void enqueue(PlannedStep s) {
    schedule.running(s.id());
    launched++;
    ready.add(Optional.of(s));
  }

  /** A pool thread: takes decided steps and runs them until the run ends. */
  private void work() {
    try {
      for (Optional<PlannedStep> next = ready.take(); next.isPresent(); next = ready.take()) {
        inbox.add(new Finished(worker.run(next.get(), Optional.ofNullable(stopReason))));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void handle(Msg m) {
    if (m instanceof Finished f) {
      launched--;
      PlannedStep step = f.done().step();
      StepRunner.Outcome o = f.done().outcome();
      attempts.put(step.id(), o.attempts());
      if (o.status() == StepStatus.FAILED && failedStep == null) {
        failedStep = step.id();
        scope.failed.set(true);
      }
      end(step, o.status(), o.attempts(), o.fingerprint(), o.message(), o.outputs());
      if (failedStep != null && !parked.isEmpty()) {
        settleParked();
      }
    } else if (m instanceof JournalFailed j) {
      throw j.error() instanceof RuntimeException r
          ? r
          : new RunctlException(
              ErrorCategory.STATE, "the journal failed: " + j.error(), null, j.error());
    }
  }

  /** Journals a step's end and decides its dependents (after any ends already being decided). */
  private void end(
      PlannedStep s,
      StepStatus status,
      int n,
      Optional<String> fingerprint,
      String message,
      Map<String, String> outputs) {
    Instant now = scope.clock.now();
    String msg = scope.masker.mask(message);
    CompletableFuture<Void> durable =
        scope.journal.append(new JournalRecord.StepEnded(now, s.id(), status, n, fingerprint, msg));
    Instant began = worker.startedAt(s.id(), now);
    scope.emit(
        new RunEvent.StepEnded(
            scope.runId(),
            scope.clock.now(),
            s.id(),
            status,
            n,
            Duration.between(began, now),
            outputs,
            msg));
    durable.whenComplete(
        (v, e) -> {
          if (e != null) {
            inbox.add(new JournalFailed(e));
          }
        });
    undecided.add(new Ended(s.id(), status));
    if (undecided.size() == 1) {
      // Not reentrant: a skip decided below ends its step here too, and joins the queue.
      for (Ended e = undecided.peek(); e != null; e = undecided.peek()) {
        decideAll(schedule.ended(e.step(), e.status()));
        undecided.poll();
      }
    }
  }

  private void decideAll(List<PlannedStep> steps) {
    for (PlannedStep s : steps) {
      Schedule.Decision d =
          schedule.decide(s, Optional.ofNullable(failedStep), Optional.ofNullable(stopReason));
      if (d instanceof Schedule.Run) {
        enqueue(s);
      } else if (d instanceof Schedule.Skip k) {
        skip(s, k.reason());
      } else {
        parked.add(s);
      }
    }
  }

  private void skip(PlannedStep s, String reason) {
    schedule.running(s.id());
    end(
        s,
        StepStatus.SKIPPED,
        attempts.getOrDefault(s.id(), 0),
        Optional.empty(),
        reason,
        Map.of());
  }

  /** Decides parked {@code on_failure} steps: run them after a failure, skip them otherwise. */
  private void settleParked() {
    List<PlannedStep> p = List.copyOf(parked);
    parked.clear();
    for (PlannedStep s : p) {
      if (failedStep != null && stopReason == null) {
        enqueue(s);
      } else {
        skip(s, stopReason != null ? stopReason : "no step failed");
      }
    }
  }

  private void stop(String reason, boolean budget) {
    stopReason = reason;
    budgetBreached = budget;
    scope.stopped.set(true);
    scope.emit(new RunEvent.Stopping(scope.runId(), scope.clock.now(), reason));
    if (budget) {
      scope.warn(Optional.empty(), reason + "; stopping the run and running its `always` steps");
    }
    worker.forEachRunning(
        (id, h) -> {
          if (scope.plan.step(id).map(p -> p.spec().when() != When.ALWAYS).orElse(true)) {
            h.cancel(reason);
          }
        });
    List<Optional<PlannedStep>> queued = new ArrayList<>();
    ready.drainTo(queued);
    for (Optional<PlannedStep> q : queued) {
      PlannedStep s = q.orElseThrow();
      if (s.spec().when() == When.ALWAYS) {
        ready.add(q);
      } else {
        launched--;
        skip(s, reason);
      }
    }
    settleParked();
  }

  private String pending() {
    return scope.plan.steps().stream()
        .filter(s -> !schedule.status(s.id()).ended())
        .map(PlannedStep::id)
        .toList()
        .toString();
  }
}
