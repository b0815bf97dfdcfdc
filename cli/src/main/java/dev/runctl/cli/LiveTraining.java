package dev.runctl.cli;

import dev.runctl.engine.RunctlException;
import dev.runctl.engine.exec.SecretMasker;
import dev.runctl.engine.plan.Expressions;
import dev.runctl.engine.spec.SpecLoader;
import dev.runctl.engine.spi.DetachedProcess;
import dev.runctl.engine.spi.MemoryFacts;
import dev.runctl.engine.spi.ProcessPoll;
import dev.runctl.engine.spi.RunClock;
import dev.runctl.engine.spi.Target;
import dev.runctl.engine.spi.TargetContext;
import dev.runctl.engine.state.RunFolder;
import dev.runctl.engine.state.RunState;
import dev.runctl.engine.state.RunStore;
import dev.runctl.engine.state.Snapshotter;
import dev.runctl.steps.train.FollowMark;
import dev.runctl.steps.train.TrainStep;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * {@code logs --follow} of a run that no runctl holds any more while a training it started goes on
 * (runctl was killed, or the terminal closed): the training's own output, through the run's target
 * (the same {@link DetachedProcess#poll} a reattached train step reads), from where the step log
 * stopped copying it, until the training ends. Its lines are masked like the step log's.
 */
final class LiveTraining {
  private final RunctlCommand root;
  private final RunStore store;
  private final RunFolder folder;
  private final String runId;

  LiveTraining(RunctlCommand root, RunStore store, RunFolder folder, String runId) {
    this.root = root;
    this.store = store;
    this.folder = folder;
    this.runId = runId;
  }

  /** Follows the running trainings of {@code steps}, one after another; returns when they ended. */
  void follow(List<String> steps, Function<String, Consumer<String>> lines, long pollMillis)
      throws InterruptedException {
    RunState state = Snapshotter.read(folder);
    List<String> trainings =
        steps.stream().filter(id -> state.facts().containsKey(TrainStep.handleFact(id))).toList();
    if (trainings.isEmpty()) {
      return;
    }
    try (Target target = open(state)) {
      SecretMasker masker = masker();
      for (String id : trainings) {
        String handle = state.facts().get(TrainStep.handleFact(id));
        Optional<DetachedProcess> p = target.machine().attach(handle);
        if (p.isEmpty() || p.get().poll(Long.MAX_VALUE).state() != ProcessPoll.State.RUNNING) {
          continue;
        }
        root.output()
            .note(
                "no runctl holds run "
                    + runId
                    + " now, but the training of step '"
                    + id
                    + "' is still running: following its output until it ends (`runctl resume "
                    + runId
                    + "` reattaches to it)");
        copy(
            p.get(),
            FollowMark.copied(folder.log(id), handle),
            masker,
            lines.apply(id),
            pollMillis);
      }
    } catch (RunctlException e) {
      root.output()
          .note(
              "cannot follow the training's live output: " + e.getMessage() + "; the log is above");
    }
  }

  private void copy(
      DetachedProcess p, long from, SecretMasker masker, Consumer<String> sink, long pollMillis)
      throws InterruptedException {
    LineSplitter splitter = new LineSplitter(l -> sink.accept(masker.mask(l)));
    long offset = from;
    while (true) {
      ProcessPoll poll = p.poll(offset);
      splitter.feed(poll.output(), 0, poll.output().length);
      root.output().flush();
      offset = poll.nextOffset();
      if (poll.output().length == 0) {
        if (poll.state() != ProcessPoll.State.RUNNING) {
          break;
        }
        Thread.sleep(pollMillis);
      }
    }
    splitter.finish();
    root.output().flush();
  }

  private Target open(RunState state) {
    RunStore.FrozenSpec frozen = store.frozenSpec(folder);
    SpecLoader.SpecTarget t =
        root.components()
            .specLoader()
            .loadTarget(frozen.originalFile(), frozen.source(), FrozenOverrides.read(folder));
    return t.provider()
        .open(
            t.config(),
            TargetContext.builder()
                .runId(runId)
                .jobName(state.job())
                .runDir(folder.dir())
                .localWorkdir(t.workdir())
                .cacheDir(store.cacheDir())
                .facts(new MemoryFacts(state.facts()))
                .warnings(warning -> {})
                .clock(RunClock.SYSTEM)
                .build());
  }

  /** The values of the environment variables the run's spec references, as the run masks them. */
  private SecretMasker masker() {
    SecretMasker masker = new SecretMasker();
    for (String name : Expressions.environmentNames(store.frozenSpec(folder).source())) {
      masker.add(System.getenv(name));
    }
    return masker;
  }
}
