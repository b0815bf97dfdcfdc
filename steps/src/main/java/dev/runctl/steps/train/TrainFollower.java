package dev.runctl.steps.train;

import dev.runctl.engine.spi.DetachedProcess;
import dev.runctl.engine.spi.Durations;
import dev.runctl.engine.spi.ErrorClass;
import dev.runctl.engine.spi.Health;
import dev.runctl.engine.spi.Machine;
import dev.runctl.engine.spi.ProcessPoll;
import dev.runctl.engine.spi.StepContext;
import dev.runctl.engine.spi.StepException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Follows a detached training process: copies its new output into the step log, watches for
 * progress (new output or a change under the checkpoints folder), stops a hung or interrupted
 * process (SIGTERM, SIGKILL after a grace period), and reports how it ended.
 */
final class TrainFollower {
  static final Duration STOP_GRACE = Duration.ofSeconds(10);
  private static final int TAIL = 2048;

  /**
   * Metrics are read every this many polls of the output: each read is a command on a remote
   * machine (what it reads is only what was appended since the last one).
   */
  private static final int METRICS_EVERY = 3;

  record Outcome(int exitCode, String tail) {}

  private final DetachedProcess process;
  private final Optional<Duration> progressTimeout;
  private final StepContext ctx;
  private final Duration interval;
  private final byte[] tail = new byte[TAIL];
  private long tailLength;
  private final FollowMark mark;
  private long offset;
  private final MetricsFollower metrics;
  private int polls;

  /**
   * Follows {@code process}; {@code reattached} when an earlier runctl followed it already, so that
   * copying goes on from where that one stopped.
   */
  TrainFollower(
      DetachedProcess process,
      Optional<Duration> progressTimeout,
      StepContext ctx,
      boolean reattached,
      MetricsFollower metrics) {
    this.process = process;
    this.metrics = metrics;
    this.mark = new FollowMark(ctx.log().file(), process.handle());
    this.offset = reattached ? mark.read() : 0;
    this.progressTimeout = progressTimeout;
    this.ctx = ctx;
    Duration quarter = progressTimeout.map(t -> t.dividedBy(4)).orElse(Duration.ofSeconds(1));
    this.interval = quarter.compareTo(Duration.ofSeconds(1)) < 0 ? quarter : Duration.ofSeconds(1);
  }

  Outcome follow(Machine machine) throws InterruptedException {
    String signature = null;
    Instant lastProgress = ctx.clock().now();
    try {
      while (true) {
        ProcessPoll poll = process.poll(offset);
        if (poll.output().length > 0) {
          copy(poll);
          lastProgress = ctx.clock().now();
        }
        if (signature != null && !signature.equals(poll.watchSignature())) {
          lastProgress = ctx.clock().now();
        }
        signature = poll.watchSignature();
        switch (poll.state()) {
          case EXITED -> {
            if (poll.output().length == 0) {
              metrics.poll();
              return new Outcome(poll.exitCode().orElse(-1), tail());
            }
          }
          case LOST -> throw lost(machine);
          case RUNNING -> {
            if (polls++ % METRICS_EVERY == 0) {
              metrics.poll();
            }
            checkProgress(lastProgress);
            ctx.clock().sleep(interval);
          }
        }
      }
    } catch (InterruptedException e) {
      ctx.log()
          .line(
              "stopping the training process (SIGTERM, then SIGKILL after "
                  + Durations.format(STOP_GRACE)
                  + ")");
      process.terminate(STOP_GRACE);
      drain();
      metrics.poll();
      throw e;
    }
  }

  private void copy(ProcessPoll poll) {
    ctx.log().output(poll.output(), 0, poll.output().length);
    remember(poll.output());
    offset = poll.nextOffset();
    mark.write(offset);
  }

  private void checkProgress(Instant lastProgress) throws InterruptedException {
    if (progressTimeout.isEmpty()) {
      return;
    }
    Duration quiet = Duration.between(lastProgress, ctx.clock().now());
    if (quiet.compareTo(progressTimeout.get()) > 0) {
      ctx.log()
          .line(
              "no output and no checkpoint change for "
                  + Durations.format(quiet)
                  + ": stopping the hung training process");
      process.terminate(STOP_GRACE);
      drain();
      throw StepException.timeout(
          "the training process made no progress for "
              + Durations.format(quiet)
              + " (progress_timeout "
              + Durations.format(progressTimeout.get())
              + "): no new output and no change under the checkpoints folder; it was stopped",
          "if the script legitimately stays quiet that long, print progress more often or raise"
              + " progress_timeout; its last output:\n"
              + tail());
    }
  }

  /** Copies what the process wrote while it was being stopped. */
  private void drain() throws InterruptedException {
    for (int i = 0; i < 100; i++) {
      ProcessPoll poll = process.poll(offset);
      if (poll.output().length == 0) {
        return;
      }
      copy(poll);
    }
  }

  private StepException lost(Machine machine) throws InterruptedException {
    Health health = machine.health();
    if (health != Health.ALIVE) {
      return StepException.interruption(
          "the machine "
              + machine.id()
              + " went away while training ("
              + health.name().toLowerCase()
              + ")",
          "a retry provisions again and resumes from the checkpoints");
    }
    return new StepException(
        ErrorClass.ERROR,
        true,
        "the training process "
            + process.handle()
            + " disappeared without an exit code (its supervisor was killed?)",
        "a retry starts it again from its newest checkpoint",
        null);
  }

  private void remember(byte[] bytes) {
    for (byte b : bytes) {
      tail[(int) (tailLength++ % TAIL)] = b;
    }
  }

  private String tail() {
    int len = (int) Math.min(tailLength, TAIL);
    byte[] out = new byte[len];
    for (int i = 0; i < len; i++) {
      out[i] = tail[(int) ((tailLength - len + i) % TAIL)];
    }
    String text = new String(out, StandardCharsets.UTF_8).stripTrailing();
    String[] lines = text.split("\n");
    int from = Math.max(0, lines.length - 12);
    return String.join("\n", java.util.Arrays.copyOfRange(lines, from, lines.length));
  }
}
