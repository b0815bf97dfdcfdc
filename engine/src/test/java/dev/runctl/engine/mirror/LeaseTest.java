package dev.runctl.engine.mirror;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runctl.engine.ErrorCategory;
import dev.runctl.engine.state.RunLockedException;
import dev.runctl.engine.testing.MemoryRemoteState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LeaseTest {
  static final String RUN = "job-20261206-120000-ab12";
  static final Duration LEASE = Duration.ofSeconds(30);
  final MemoryRemoteState remote = new MemoryRemoteState();
  // after this JVM started: the holder (this process) is alive and not a reused pid
  final Instant t0 =
      Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).plusSeconds(1);
  @TempDir Path dir;

  Clock at(Instant t) {
    return Clock.fixed(t, ZoneOffset.UTC);
  }

  @Test
  void aLiveLeaseRefusesASecondHolderNamingTheFirstAndSinceWhen() {
    Lease first = Lease.acquire(remote, RUN, LEASE, at(t0));
    assertThat(first.takeover()).isEmpty();
    assertThatThrownBy(() -> Lease.acquire(remote, RUN, LEASE, at(t0.plusSeconds(29))))
        .isInstanceOf(RunLockedException.class)
        .satisfies(
            e -> assertThat(((RunLockedException) e).category()).isEqualTo(ErrorCategory.LOCKED))
        .hasMessageContaining("pid " + ProcessHandle.current().pid())
        .hasMessageContaining("since " + t0);
    first.close();
    assertThat(remote.objects()).doesNotContainKey(new RunKeys(RUN).lock());
    Lease.acquire(remote, RUN, LEASE, at(t0.plusSeconds(29))).close();
  }

  @Test
  void aHolderPastItsOwnExpiryIsNotFreshUntilItRenews() {
    Instant[] now = {t0};
    Clock clock =
        new Clock() {
          @Override
          public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
          }

          @Override
          public Clock withZone(java.time.ZoneId zone) {
            return this;
          }

          @Override
          public Instant instant() {
            return now[0];
          }
        };
    Lease mine = Lease.acquire(remote, RUN, LEASE, clock);
    assertThat(mine.fresh()).isTrue();
    now[0] = t0.plusSeconds(31); // frozen past its lease: it may have been taken over
    assertThat(mine.fresh()).as("ships nothing until a renewal says it holds the run").isFalse();
  }

  @Test
  void anExpiredLeaseIsTakenOverAndThatIsSaid() {
    Lease.acquire(remote, RUN, LEASE, at(t0)); // its holder dies: never renewed, never let go
    Lease second = Lease.acquire(remote, RUN, LEASE, at(t0.plusSeconds(31)));
    assertThat(second.takeover())
        .hasValueSatisfying(
            m ->
                assertThat(m)
                    .contains("took over run " + RUN)
                    .contains("expired at " + t0.plusSeconds(30)));
  }

  @Test
  void aLeaseOfAProcessOfThisHostThatIsGoneIsTakenOverAtOnce() throws Exception {
    Process dead = new ProcessBuilder("true").start();
    dead.waitFor();
    String host = dev.runctl.engine.state.LockHolder.self(t0).host();
    remote.put(new RunKeys(RUN).lock(), new LeaseRecord(dead.pid(), host, t0, t0, LEASE).encode());
    Lease taken = Lease.acquire(remote, RUN, LEASE, at(t0.plusSeconds(1)));
    assertThat(taken.takeover())
        .hasValueSatisfying(
            m ->
                assertThat(m)
                    .contains("pid " + dead.pid())
                    .contains("no longer running on this host"));
    // the same record from another host is live until its lease ends
    MemoryRemoteState other = new MemoryRemoteState();
    other.put(
        new RunKeys(RUN).lock(), new LeaseRecord(dead.pid(), "elsewhere", t0, t0, LEASE).encode());
    assertThatThrownBy(() -> Lease.acquire(other, RUN, LEASE, at(t0.plusSeconds(1))))
        .isInstanceOf(RunLockedException.class)
        .hasMessageContaining("on elsewhere since " + t0);
  }

  @Test
  void ofTwoTakersOfAnExpiredLeaseExactlyOneWins() throws Exception {
    for (int round = 0; round < 50; round++) {
      MemoryRemoteState store = new MemoryRemoteState();
      Lease.acquire(store, RUN, LEASE, at(t0));
      CountDownLatch go = new CountDownLatch(1);
      List<Object> outcomes = new CopyOnWriteArrayList<>();
      List<Thread> takers = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        Thread t =
            new Thread(
                () -> {
                  try {
                    go.await();
                    outcomes.add(Lease.acquire(store, RUN, LEASE, at(t0.plusSeconds(60))));
                  } catch (RunLockedException e) {
                    outcomes.add(e);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                });
        t.start();
        takers.add(t);
      }
      go.countDown();
      for (Thread t : takers) {
        t.join();
      }
      assertThat(outcomes).hasSize(2);
      assertThat(outcomes.stream().filter(o -> o instanceof Lease)).hasSize(1);
      assertThat(outcomes.stream().filter(o -> o instanceof RunLockedException)).hasSize(1);
    }
  }

  @Test
  void theHolderRenewsItsLeaseSeesACancelRequestAndLearnsWhenItWasTakenOver() throws Exception {
    Duration shortLease = Duration.ofMillis(900); // renewed every 300 ms
    Lease mine = Lease.acquire(remote, RUN, shortLease, Clock.systemUTC());
    Path cancel = dir.resolve("cancel-requested");
    List<String> lost = new CopyOnWriteArrayList<>();
    mine.keep(cancel, lost::add);
    Thread.sleep(2000);
    assertThatThrownBy(() -> Lease.acquire(remote, RUN, shortLease, Clock.systemUTC()))
        .as("renewed: still live after twice its lease")
        .isInstanceOf(RunLockedException.class);
    new SharedState(ShipAndPullTest.REF, "mem", remote, Clock.systemUTC()).requestCancel(RUN);
    long deadline = System.nanoTime() + 3_000_000_000L;
    while (!Files.exists(cancel) && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(cancel).as("seen within a poll").exists();
    // another runctl overwrites the lock (as a taker would after a long stall of this one)
    remote.put(
        new RunKeys(RUN).lock(),
        new LeaseRecord(1, "elsewhere", t0, Instant.now(), LEASE).encode());
    deadline = System.nanoTime() + 3_000_000_000L;
    while (lost.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(lost).singleElement().asString().contains("pid 1 on elsewhere");
    assertThat(mine.lost()).isTrue();
    mine.close();
    assertThat(remote.objects())
        .as("a lost lease is not ours to remove")
        .containsKey(new RunKeys(RUN).lock());
  }
}
