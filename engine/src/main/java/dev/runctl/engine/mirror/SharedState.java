package dev.runctl.engine.mirror;

import dev.runctl.engine.spi.RemoteState;
import dev.runctl.engine.spi.StateBackend;
import dev.runctl.engine.spi.StateRef;
import dev.runctl.engine.state.ActiveRun;
import dev.runctl.engine.state.LockHolder;
import dev.runctl.engine.state.RunFolder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Runs kept in one store besides the local state folder: what the CLI asks of it. Readers {@link
 * #pull} a run into their local folder before they read it; a runctl that holds a run takes its
 * {@link #lock}, catches up, opens the run locally and {@link #attach}es it, which ships what the
 * run writes and keeps the lease until the run is closed.
 */
public final class SharedState implements AutoCloseable {
  /** How often the shipper looks for something new to send. */
  public static final Duration SHIP_EVERY = Duration.ofMillis(500);

  private final StateRef ref;
  private final String name;
  private final RemoteState remote;
  private final Clock clock;

  SharedState(StateRef ref, String name, RemoteState remote, Clock clock) {
    this.ref = ref;
    this.name = name;
    this.remote = remote;
    this.clock = clock;
  }

  /** Opens the store {@code ref} names through {@code backend}. */
  public static SharedState open(StateBackend backend, StateRef ref) {
    return new SharedState(ref, backend.describe(ref), backend.open(ref), Clock.systemUTC());
  }

  /** The store a local run folder was shipped to or caught up from, as its ledger says. */
  public static Optional<StateRef> refOf(RunFolder folder) {
    return Ledger.load(folder).ref();
  }

  public StateRef ref() {
    return ref;
  }

  /** The store, for messages ({@code s3://bucket/prefix}). */
  public String describe() {
    return name;
  }

  /** The ids of the runs in the store, in order. */
  public List<String> runIds() {
    return remote.folders(RunKeys.RUNS);
  }

  /** Brings {@code local} up to date with the store; false when the store has no such run. */
  public boolean pull(RunFolder local) {
    return new Puller(remote).pull(local, ref);
  }

  /** Takes run {@code runId}'s lease (or throws {@code RunLockedException}). */
  public Lease lock(String runId) {
    return Lease.acquire(remote, runId, ref.leaseOrDefault(), clock);
  }

  /** The live holder of run {@code runId}, if any. */
  public Optional<LockHolder> holder(String runId) {
    return Lease.holder(remote, runId, clock);
  }

  /** Asks the live holder of run {@code runId}, wherever it is, to cancel it. */
  public void requestCancel(String runId) {
    remote.put(
        new RunKeys(runId).cancelRequest(),
        ("requested " + clock.instant() + "\n").getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Ships {@code run} from now on and keeps {@code lease} until the run is closed, when the last of
   * it is shipped and the lease let go. {@code warn} hears about trouble with the store, {@code
   * onLost} that another runctl took the run over (shipping has stopped then).
   */
  public void attach(ActiveRun run, Lease lease, Consumer<String> warn, Consumer<String> onLost) {
    Ledger ledger = Ledger.load(run.folder());
    ledger.ref(ref);
    ledger.save();
    Shipper shipper = Shipper.start(remote, run.folder(), SHIP_EVERY, warn, lease::fresh);
    lease.keep(
        run.folder().cancelRequest(),
        why -> {
          shipper.stop();
          onLost.accept(why);
        });
    run.onClose(
        () -> {
          try {
            shipper.close();
          } finally {
            lease.close();
          }
        });
  }

  @Override
  public void close() {
    remote.close();
  }
}
