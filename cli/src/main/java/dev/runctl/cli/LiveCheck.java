package dev.runctl.cli;

import dev.runctl.engine.spec.SpecLoader;
import dev.runctl.engine.spi.Liveness;
import dev.runctl.engine.spi.MemoryFacts;
import dev.runctl.engine.spi.RunClock;
import dev.runctl.engine.spi.TargetContext;
import dev.runctl.engine.spi.TargetProvider;
import dev.runctl.engine.spi.TargetRun;
import dev.runctl.engine.state.RunFolder;
import dev.runctl.engine.state.RunState;
import dev.runctl.engine.state.RunStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Asks the targets of runs that no runctl process holds what those runs still have alive (a
 * machine, a process that outlived runctl, a workspace no teardown removed), for {@code runctl
 * runs} and {@code status}. Each run's target comes from its frozen spec (only the {@code target:}
 * part, so a project that has moved on does not matter); the runs of one provider are handed to it
 * together (the aws target asks EC2 once per region), providers answer in parallel, and none is
 * waited for longer than the timeout. A target that cannot answer makes its runs {@link
 * Liveness.Unknown}; nothing here throws, and nothing is written to a run.
 */
final class LiveCheck {
  /** How long one backend request, and the whole check, may take. */
  static final Duration TIMEOUT = Duration.ofSeconds(10);

  /** A run to look at: its folder and its recorded state. */
  record Subject(RunFolder folder, RunState state) {}

  /** The answers by run id, and the provider each run uses ({@code ?} when unreadable). */
  record Result(Map<String, Liveness> answers, Map<String, String> providers) {
    Liveness of(String runId) {
      return answers.getOrDefault(runId, new Liveness.Unknown("not checked"));
    }

    /** One line per cause that kept runs from being checked, naming the provider and the runs. */
    List<String> problems() {
      record Cause(String provider, String cause) {}
      Map<Cause, List<String>> byCause = new LinkedHashMap<>();
      answers.forEach(
          (id, l) -> {
            if (l instanceof Liveness.Unknown u) {
              Cause key = new Cause(providers.getOrDefault(id, "?"), u.cause());
              byCause.computeIfAbsent(key, k -> new ArrayList<>()).add(id);
            }
          });
      List<String> out = new ArrayList<>();
      byCause.forEach(
          (key, ids) -> {
            String which =
                ids.size() == 1
                    ? "run " + ids.get(0)
                    : ids.size()
                        + " "
                        + (key.provider().equals("?") ? "" : key.provider() + " ")
                        + "runs";
            out.add(
                "cannot tell whether "
                    + which
                    + " still "
                    + (ids.size() == 1 ? "has" : "have")
                    + " resources alive: "
                    + key.cause());
          });
      return out;
    }
  }

  private final RunStore store;
  private final SpecLoader loader;
  private final Duration timeout;

  LiveCheck(RunStore store, SpecLoader loader, Duration timeout) {
    this.store = store;
    this.loader = loader;
    this.timeout = timeout;
  }

  Result check(List<Subject> runs) throws InterruptedException {
    Map<String, Liveness> answers = new LinkedHashMap<>();
    Map<String, String> providers = new LinkedHashMap<>();
    Map<String, TargetProvider> byName = new LinkedHashMap<>();
    Map<String, List<TargetRun>> groups = new LinkedHashMap<>();
    for (Subject s : runs) {
      String id = s.folder().runId();
      try {
        RunStore.FrozenSpec frozen = store.frozenSpec(s.folder());
        SpecLoader.SpecTarget t =
            loader.loadTarget(
                frozen.originalFile(), frozen.source(), FrozenOverrides.read(s.folder()));
        String name = t.provider().name();
        providers.put(id, name);
        byName.putIfAbsent(name, t.provider());
        TargetContext ctx =
            TargetContext.builder()
                .runId(id)
                .jobName(s.state().job())
                .runDir(s.folder().dir())
                .localWorkdir(t.workdir())
                .cacheDir(store.cacheDir())
                .facts(new MemoryFacts(s.state().facts()))
                .warnings(warning -> {})
                .clock(RunClock.SYSTEM)
                .build();
        groups.computeIfAbsent(name, n -> new ArrayList<>()).add(new TargetRun(t.config(), ctx));
      } catch (RuntimeException e) {
        answers.put(id, new Liveness.Unknown("its frozen spec: " + Liveness.failed(e).cause()));
      }
    }
    if (groups.isEmpty()) {
      return new Result(answers, providers);
    }
    ExecutorService pool =
        Executors.newFixedThreadPool(
            groups.size(),
            r -> {
              Thread t = new Thread(r, "runctl-live-check");
              t.setDaemon(true);
              return t;
            });
    try {
      Map<String, Future<Map<String, Liveness>>> pending = new LinkedHashMap<>();
      groups.forEach(
          (name, group) ->
              pending.put(name, pool.submit(() -> byName.get(name).liveResources(group, timeout))));
      long deadline = System.nanoTime() + timeout.plusSeconds(2).toNanos();
      for (var e : pending.entrySet()) {
        List<TargetRun> group = groups.get(e.getKey());
        Map<String, Liveness> got;
        try {
          got = e.getValue().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException ex) {
          e.getValue().cancel(true);
          got =
              unknown(group, e.getKey() + " target: no answer within " + RunLines.elapsed(timeout));
        } catch (ExecutionException ex) {
          Throwable cause = ex.getCause();
          got =
              unknown(
                  group,
                  cause instanceof RuntimeException r
                      ? Liveness.failed(r).cause()
                      : String.valueOf(cause));
        }
        for (TargetRun run : group) {
          String id = run.context().runId();
          answers.put(
              id, got.getOrDefault(id, new Liveness.Unknown("the target did not answer for it")));
        }
      }
    } finally {
      pool.shutdownNow();
    }
    return new Result(answers, providers);
  }

  private static Map<String, Liveness> unknown(List<TargetRun> group, String cause) {
    Map<String, Liveness> out = new LinkedHashMap<>();
    group.forEach(r -> out.put(r.context().runId(), new Liveness.Unknown(cause)));
    return out;
  }
}
