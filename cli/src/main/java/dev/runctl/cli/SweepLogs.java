package dev.runctl.cli;

import dev.runctl.cli.sweep.SweepRecord;
import dev.runctl.cli.sweep.SweepStore;
import dev.runctl.engine.state.RunStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code runctl logs SWEEP}: each child's logs as {@code logs RUN} prints them, child after child,
 * each text line prefixed with the child ({@code [2 lr=0.1] }); in JSON each line carries its
 * child's run id. With {@code --follow} every child that has started is followed at once, until
 * each has ended.
 */
final class SweepLogs {
  private SweepLogs() {}

  static int print(LogsCommand asked, String sweepId) throws InterruptedException {
    RunctlCommand root = asked.root;
    SweepRecord record = new SweepStore(root.stateDir()).read(sweepId);
    RunStore store = new RunStore(root.stateDir());
    List<LogsCommand> children = new ArrayList<>();
    for (SweepRecord.Child c : record.children()) {
      if (store.exists(c.runId())) {
        LogsCommand l = new LogsCommand();
        l.root = root;
        l.runId = c.runId();
        l.step = asked.step;
        l.follow = asked.follow;
        l.tail = asked.tail;
        l.linePrefix = "[" + SweepChildren.label(c.index(), c.combination()) + "] ";
        children.add(l);
      }
    }
    if (children.size() < record.children().size()) {
      root.output()
          .note(
              (record.children().size() - children.size())
                  + " of the "
                  + record.children().size()
                  + " children of sweep "
                  + sweepId
                  + " have not started: they have no logs");
    }
    if (!asked.follow) {
      for (LogsCommand l : children) {
        l.call();
      }
      return ExitCodes.OK;
    }
    AtomicReference<RuntimeException> failed = new AtomicReference<>();
    List<Thread> threads = new ArrayList<>();
    for (LogsCommand l : children) {
      Thread t =
          new Thread(
              () -> {
                try {
                  l.call();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                } catch (RuntimeException e) {
                  failed.compareAndSet(null, e);
                }
              },
              "runctl-logs-" + l.runId);
      t.setDaemon(true);
      t.start();
      threads.add(t);
    }
    for (Thread t : threads) {
      t.join();
    }
    if (failed.get() != null) {
      throw failed.get();
    }
    return ExitCodes.OK;
  }
}
