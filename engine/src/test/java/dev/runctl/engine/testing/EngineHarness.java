package dev.runctl.engine.testing;

import dev.runctl.engine.exec.ExecSettings;
import dev.runctl.engine.exec.RunControl;
import dev.runctl.engine.exec.RunEvent;
import dev.runctl.engine.exec.RunExecutor;
import dev.runctl.engine.exec.RunResult;
import dev.runctl.engine.plan.Plan;
import dev.runctl.engine.spi.RunClock;
import dev.runctl.engine.state.ActiveRun;
import dev.runctl.engine.state.JournalLoader;
import dev.runctl.engine.state.JournalRecord;
import dev.runctl.engine.state.RunState;
import dev.runctl.engine.state.RunStore;
import dev.runctl.engine.state.Snapshotter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs plans in this JVM against a state folder, the way {@code runctl apply} and {@code resume}
 * do, and keeps every event for assertions.
 */
public final class EngineHarness {
  private final RunStore store;
  private final List<RunEvent> events = Collections.synchronizedList(new ArrayList<>());
  private RunClock clock = RunClock.SYSTEM;
  private int parallelism = 2;
  private Map<String, String> processEnv = Map.of();

  public EngineHarness(Path stateDir) {
    this.store = new RunStore(stateDir);
  }

  public EngineHarness clock(RunClock c) {
    this.clock = c;
    return this;
  }

  public EngineHarness parallelism(int n) {
    this.parallelism = n;
    return this;
  }

  public EngineHarness processEnv(Map<String, String> env) {
    this.processEnv = env;
    return this;
  }

  public RunStore store() {
    return store;
  }

  public List<RunEvent> events() {
    synchronized (events) {
      return List.copyOf(events);
    }
  }

  public ExecSettings settings() {
    return new ExecSettings(
        clock,
        parallelism,
        processEnv,
        store.cacheDir(),
        events::add,
        Optional.empty(),
        Duration.ofMillis(20));
  }

  public RunResult apply(Plan plan) throws InterruptedException {
    return apply(plan, new RunControl());
  }

  public RunResult apply(Plan plan, RunControl control) throws InterruptedException {
    String id = store.newRunId(plan.job().name(), clock.now());
    ActiveRun run = store.create(id, plan.job().file(), plan.job().source(), clock.now());
    try {
      return new RunExecutor(settings()).run(plan, run, control, false);
    } finally {
      run.close(clock.now());
    }
  }

  public RunResult resume(Plan plan, String runId, boolean rerunChanged)
      throws InterruptedException {
    ActiveRun run = store.open(runId, clock.now());
    try {
      return new RunExecutor(settings()).run(plan, run, new RunControl(), rerunChanged);
    } finally {
      run.close(clock.now());
    }
  }

  public RunState state(String runId) {
    return Snapshotter.read(store.existing(runId));
  }

  public List<JournalRecord> journal(String runId) {
    return JournalLoader.load(store.existing(runId).journal(), false).records();
  }
}
