package dev.runctl.cli;

import dev.runctl.engine.ErrorCategory;
import dev.runctl.engine.RunctlException;
import dev.runctl.engine.mirror.Lease;
import dev.runctl.engine.mirror.SharedState;
import dev.runctl.engine.registry.Registry;
import dev.runctl.engine.spi.StateBackend;
import dev.runctl.engine.spi.StateRef;
import dev.runctl.engine.state.ActiveRun;
import dev.runctl.engine.state.RunFolder;
import dev.runctl.engine.state.RunLock;
import dev.runctl.engine.state.RunStore;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The shared state of this invocation: the store {@code RUNCTL_STATE} names, and the stores run
 * folders were shipped to (their ledgers say). Readers call {@link #pull} and {@link #refresh}
 * before they read a run; apply, resume and destroy {@link #hold} it. Stores open once, on first
 * use; a command without shared state opens nothing.
 */
final class SharedRuns implements AutoCloseable {
  static final String ENV = "RUNCTL_STATE";
  private static final long REFRESH_NANOS = 1_000_000_000L;
  private final Supplier<Registry> registry;
  private final Optional<String> env;
  // sweep children are held and shipped from several threads
  private final Map<StateRef, SharedState> open = new ConcurrentHashMap<>();
  private final Map<String, Long> refreshed = new ConcurrentHashMap<>();

  SharedRuns(Supplier<Registry> registry, Optional<String> env) {
    this.registry = registry;
    this.env = env.filter(v -> !v.isBlank());
  }

  /** The store RUNCTL_STATE names, if set. */
  Optional<SharedState> configured() {
    if (env.isEmpty()) {
      return Optional.empty();
    }
    String uri = env.get();
    List<StateBackend> backends = registry.get().stateBackends();
    StateBackend backend =
        backends.stream()
            .filter(b -> b.accepts(uri))
            .findFirst()
            .orElseThrow(
                () ->
                    new RunctlException(
                        ErrorCategory.USAGE,
                        ENV + "='" + uri + "' names no state backend this runctl knows",
                        "known: "
                            + String.join(
                                ", ", backends.stream().map(b -> b.name() + "://...").toList())
                            + ", e.g. "
                            + ENV
                            + "=s3://team-runctl-state/nlp; unset it to keep"
                            + " runs in the local state folder only"));
    return Optional.of(store(backend.parse(uri)));
  }

  /** The store of a spec: its {@code state:}, else RUNCTL_STATE's. */
  Optional<SharedState> forSpec(Optional<StateRef> fromSpec) {
    return fromSpec.isPresent() ? Optional.of(store(fromSpec.get())) : configured();
  }

  /** The store a local run folder was shipped to or caught up from. */
  Optional<SharedState> forRun(RunFolder folder) {
    return SharedState.refOf(folder).map(this::store);
  }

  private SharedState store(StateRef ref) {
    return open.computeIfAbsent(
        ref,
        r ->
            SharedState.open(
                registry
                    .get()
                    .stateBackend(r.backend())
                    .orElseThrow(
                        () ->
                            new RunctlException(
                                ErrorCategory.USAGE,
                                "the state backend '"
                                    + r.backend()
                                    + "' ("
                                    + r.origin()
                                    + ") is not one this runctl knows",
                                "use a runctl that knows it")),
                r));
  }

  /**
   * Brings the runs of RUNCTL_STATE's store that {@code typed} may name (an id, a prefix, or every
   * run for none and {@code latest}) into {@code local}, except runs live on this machine.
   */
  void pull(RunStore local, String typed) {
    Optional<SharedState> shared = configured();
    if (shared.isEmpty()) {
      return;
    }
    boolean all = typed == null || typed.equals(RunFinder.LATEST);
    for (String id : shared.get().runIds()) {
      if (all || id.startsWith(typed)) {
        pullOne(shared.get(), local.folder(id));
      }
    }
  }

  /** Brings one local run folder up to date with its store, at most once a second. */
  void refresh(RunFolder folder) {
    Long last = refreshed.get(folder.runId());
    if (last != null && System.nanoTime() - last < REFRESH_NANOS) {
      return;
    }
    forRun(folder).ifPresent(s -> pullOne(s, folder));
  }

  private void pullOne(SharedState shared, RunFolder folder) {
    if (RunLock.isHeldHere(folder)) {
      return; // live on this machine: this folder is ahead of the store
    }
    shared.pull(folder);
    refreshed.put(folder.runId(), System.nanoTime());
  }

  /**
   * Holds an existing run for resume or destroy: the store's lease first (or exit 3 naming the
   * holder), then the catch-up that makes the local folder what the store holds, then the local
   * run; what the run writes is shipped until it is closed.
   */
  ActiveRun hold(RunStore store, String runId, Output out, Consumer<String> onLost) {
    Optional<SharedState> shared = forRun(store.folder(runId));
    if (shared.isEmpty()) {
      return store.open(runId, java.time.Instant.now());
    }
    Lease lease = shared.get().lock(runId);
    ActiveRun run;
    try {
      shared.get().pull(store.folder(runId));
      lease.takeover().ifPresent(out::note);
      run = store.open(runId, java.time.Instant.now());
    } catch (RuntimeException e) {
      lease.close();
      throw e;
    }
    shared.get().attach(run, lease, out::note, onLost);
    return run;
  }

  /** Ships a new run to the store its spec (or RUNCTL_STATE) names, if any. */
  void ship(ActiveRun run, Optional<StateRef> fromSpec, Output out, Consumer<String> onLost) {
    Optional<SharedState> shared = forSpec(fromSpec);
    if (shared.isEmpty()) {
      return;
    }
    Lease lease = shared.get().lock(run.runId());
    shared.get().attach(run, lease, out::note, onLost);
    out.note("run " + run.runId() + " is shared through " + shared.get().describe());
  }

  @Override
  public void close() {
    open.values().forEach(SharedState::close);
    open.clear();
  }
}
