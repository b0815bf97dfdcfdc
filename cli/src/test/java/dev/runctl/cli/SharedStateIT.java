package dev.runctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runctl.targets.aws.moto.MotoClients;
import dev.runctl.targets.aws.moto.MotoServer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Runs that outlive the machine that started them: two runctls with state folders and indexes of
 * runs of their own ("machine" a and b) and one bucket on moto_server over real HTTP. a applies
 * with {@code state: {backend: s3}} in the spec; b finds the run through {@code RUNCTL_STATE}.
 */
class SharedStateIT {
  @RegisterExtension static final MotoServer MOTO = new MotoServer();
  private static final String BUCKET = "runctl-shared";
  private static final String PREFIX = "team/nlp";
  @TempDir Path dir;
  MotoClients clients;
  Runctl a;
  Runctl b;
  Path spec;

  @BeforeEach
  void setUp() throws Exception {
    clients = new MotoClients();
    clients.s3.createBucket(c -> c.bucket(BUCKET));
    a = machine("a");
    b = machine("b").env("RUNCTL_STATE", "s3://" + BUCKET + "/" + PREFIX);
    spec = specWith(20);
  }

  @AfterEach
  void tearDown() {
    clients.close();
  }

  private Runctl machine(String name) throws Exception {
    return new Runctl(Files.createDirectories(dir.resolve(name)))
        .env("AWS_ENDPOINT_URL", MOTO.endpoint())
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_REGION", "us-east-1")
        .env("AWS_PROFILE", null);
  }

  private Path specWith(int ticks) throws Exception {
    Path project = Files.createDirectories(dir.resolve("project"));
    Path p = project.resolve("job.yaml");
    Files.writeString(
        p,
        "version: 1\n"
            + "name: shared\n"
            + "state: {backend: s3, bucket: "
            + BUCKET
            + ", prefix: "
            + PREFIX
            + ", lease: 3s}\n"
            + "steps:\n"
            + "  - {id: one, uses: run, with: {shell: 'echo first'}}\n"
            + "  - id: slow\n"
            + "    uses: run\n"
            + "    with: {shell: 'for i in $(seq 1 "
            + ticks
            + "); do echo tick $i; sleep 0.5; done'}\n"
            + "  - {id: last, uses: run, with: {shell: 'echo done'}}\n");
    return p;
  }

  @Test
  void killedOnOneMachineItIsListedFollowedAndResumedToTheEndOnAnother() throws Exception {
    Runctl.Running apply = a.start("apply", spec.toString());
    String runId = apply.runId(Duration.ofMinutes(1));
    awaitFile(apply, a.runDir(runId).resolve("logs/slow.log"), s -> s.contains("tick 3"));
    // what b sees comes from the bucket: wait until the shipper has sent tick 3 there
    awaitBucket(runId, "tick 3");
    apply.kill();

    Runctl.Result runs = b.run("runs");
    assertThat(runs.stdout()).as(runs.toString()).contains(runId);
    Runctl.Result status = b.run("status", runId);
    assertThat(status.stdout()).as(status.toString()).contains("slow").contains("running");
    Runctl.Result logs = b.run("logs", runId, "slow");
    assertThat(logs.stdout()).as(logs.toString()).contains("tick 1").contains("tick 3");

    // a died without letting go: its holder is a process of this host that is gone (and, on a
    // slow machine, its 3 s lease may have lapsed by now too)
    Runctl.Result resume = b.start("resume", runId).await(Duration.ofMinutes(2));
    assertThat(resume.exitCode()).as(resume.toString()).isZero();
    assertThat(resume.stderr())
        .contains("took over run " + runId + " from pid " + apply.pid())
        .containsAnyOf("no longer running on this host", "whose lease expired at");
    assertThat(resume.stdout()).contains("last succeeded").contains("succeeded in");
    long endedAt = System.nanoTime();
    // the bucket holds the whole journal, as b wrote it, by the time b has ended (< 5 s)
    String journal = Files.readString(b.runDir(runId).resolve("journal.jsonl"));
    assertThat(journal).contains("\"run_ended\"").contains("succeeded");
    while (!bucketJournal(runId).equals(journal) && System.nanoTime() - endedAt < 5_000_000_000L) {
      Thread.sleep(100);
    }
    assertThat(bucketJournal(runId)).isEqualTo(journal);

    // a, without RUNCTL_STATE, catches its own folder up through the run's ledger
    Runctl.Result onA = a.run("status", runId);
    assertThat(onA.stdout()).as(onA.toString()).contains("succeeded").contains("resumed 1 time");
    assertThat(Files.readString(a.runDir(runId).resolve("logs/last.log"))).contains("done");
    Runctl.Result report = b.run("report", runId);
    assertThat(report.exitCode()).as(report.toString()).isZero();
    Runctl.Result destroy = b.run("destroy", runId);
    assertThat(destroy.exitCode()).as(destroy.toString()).isZero();
    assertThat(destroy.stdout()).contains("nothing is left");
  }

  @Test
  void ofTwoResumesAtOnceOneWinsAndTheOtherExitsLocked() throws Exception {
    Runctl.Running apply = a.start("apply", specWith(200).toString());
    String runId = apply.runId(Duration.ofMinutes(1));
    awaitBucket(runId, "tick 1");
    apply.kill();
    Runctl c = machine("c").env("RUNCTL_STATE", "s3://" + BUCKET + "/" + PREFIX);
    b.run("status", runId); // both machines have caught up before they race
    c.run("status", runId);
    Runctl.Running rb = b.start("resume", runId);
    Runctl.Running rc = c.start("resume", runId);
    long deadline = System.nanoTime() + 120_000_000_000L;
    while (rb.process.isAlive() && rc.process.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    Runctl.Running loser = rb.process.isAlive() ? rc : rb;
    Runctl.Running winner = loser == rb ? rc : rb;
    Runctl.Result lost = loser.await(Duration.ofSeconds(5));
    assertThat(lost.exitCode()).as(lost.toString()).isEqualTo(3);
    assertThat(lost.stderr())
        .contains("run " + runId + " is held by another live runctl process (pid " + winner.pid());
    assertThat(winner.process.isAlive()).as("the winner runs on").isTrue();

    // a third one, started while the winner holds the run: exit 3, about as fast as a status
    long t0 = System.nanoTime();
    Runctl.Result quick = b.run("status", runId);
    double statusSeconds = (System.nanoTime() - t0) / 1e9;
    t0 = System.nanoTime();
    Runctl.Result third =
        a.env("RUNCTL_STATE", "s3://" + BUCKET + "/" + PREFIX).run("resume", runId);
    double lockedSeconds = (System.nanoTime() - t0) / 1e9;
    System.out.printf(
        "locked resume: %.2f s; a status on the same machine: %.2f s%n",
        lockedSeconds, statusSeconds);
    assertThat(quick.exitCode()).isZero();
    assertThat(third.exitCode()).as(third.toString()).isEqualTo(3);
    assertThat(third.stderr()).contains("since");
    assertThat(lockedSeconds - statusSeconds).as("locked answer beyond a status").isLessThan(1.5);
    winner.kill();
  }

  @Test
  void aLeaseHeldOnAnotherHostIsRespectedUntilItExpiresThenTakenOver() throws Exception {
    Runctl.Result applied = a.run("apply", specWith(1).toString());
    assertThat(applied.exitCode()).as(applied.toString()).isZero();
    String runId = applied.runId();
    String lock = PREFIX + "/runs/" + runId + "/lock";
    java.time.Instant since = java.time.Instant.now().minusSeconds(600);
    putLock(lock, since, java.time.Instant.now(), "PT1H");
    Runctl.Result locked = b.run("resume", runId);
    assertThat(locked.exitCode()).as(locked.toString()).isEqualTo(3);
    assertThat(locked.stderr()).contains("pid 4242 on other-machine since " + since);
    Runctl.Result status = b.run("status", runId);
    assertThat(status.stdout()).contains("pid 4242 on other-machine");

    java.time.Instant renewed = java.time.Instant.now().minusSeconds(60);
    putLock(lock, since, renewed, "PT30S");
    Runctl.Result resumed = b.run("resume", runId);
    assertThat(resumed.exitCode()).as(resumed.toString()).isZero();
    assertThat(resumed.stderr())
        .contains("took over run " + runId + " from pid 4242 on other-machine")
        .contains("whose lease expired at " + renewed.plusSeconds(30));
    assertThat(clients.s3.listObjectsV2(l -> l.bucket(BUCKET).prefix(lock)).contents())
        .as("let go at the end")
        .isEmpty();
  }

  @Test
  void aHolderWhoseLeaseWasTakenOverLetsGoWithoutStoppingOrTearingDownAnything() throws Exception {
    Path release = spec.resolveSibling("release");
    Path marks = spec.resolveSibling("marks");
    writeWaitingSpec("");
    Runctl.Running apply = a.start("apply", spec.toString());
    String runId = apply.runId(Duration.ofMinutes(1));
    awaitBucket(runId, "waiting");
    // a is frozen (a suspended laptop, a stalled VM) well past its 3 s lease
    signal("STOP", apply.pid());
    try {
      Thread.sleep(5_000);
      Runctl.Running resume = b.start("resume", runId);
      awaitFile(resume, resume.err, s -> s.contains("took over run " + runId));
      signal("CONT", apply.pid());
      Runctl.Result lost = apply.await(Duration.ofMinutes(1));
      assertThat(lost.exitCode()).as(lost.toString()).isEqualTo(3);
      assertThat(lost.stderr())
          .contains("run " + runId + " was taken over by pid " + resume.pid())
          .contains("lets go of it without stopping");
      assertThat(marks).as("a ran no teardown").doesNotExist();
      String journalOfA = Files.readString(a.runDir(runId).resolve("journal.jsonl"));
      assertThat(journalOfA).doesNotContain("\"step\":\"teardown\"").doesNotContain("cancel");

      Files.writeString(release, "go\n");
      Runctl.Result resumed = resume.await(Duration.ofMinutes(2));
      assertThat(resumed.exitCode()).as(resumed.toString()).isZero();
      assertThat(Files.readString(marks)).as("the teardown ran once, by b").isEqualTo("teardown\n");
    } finally {
      signal("CONT", apply.pid());
      // whatever failed above, no waiting step outlives the test
      Files.writeString(release, "go\n");
    }
  }

  /**
   * A spec whose step slow waits for the file {@code release} next to it, and whose teardown (a
   * {@code when: always} step) appends a line to the file {@code marks} there.
   */
  private void writeWaitingSpec(String extra) throws Exception {
    Files.writeString(
        spec,
        "version: 1\n"
            + "name: frozen\n"
            + extra
            + "state: {backend: s3, bucket: "
            + BUCKET
            + ", prefix: "
            + PREFIX
            + ", lease: 3s}\n"
            + "steps:\n"
            + "  - id: slow\n"
            + "    uses: run\n"
            + "    with: {shell: 'echo waiting; while [ ! -e "
            + spec.resolveSibling("release")
            + " ]; do sleep 0.2; done; echo released'}\n"
            + "  - id: teardown\n"
            + "    uses: run\n"
            + "    needs: [slow]\n"
            + "    when: always\n"
            + "    with: {shell: 'echo teardown >> "
            + spec.resolveSibling("marks")
            + "'}\n");
  }

  @Test
  void aSweepWhoseChildWasTakenOverStopsWithoutTearingTheChildDown() throws Exception {
    Path release = spec.resolveSibling("release");
    Path marks = spec.resolveSibling("marks");
    writeWaitingSpec("matrix: {n: [1]}\n");
    Runctl.Running apply = a.start("apply", spec.toString());
    String childId = awaitRunWith("waiting");
    signal("STOP", apply.pid());
    try {
      Thread.sleep(5_000);
      Runctl.Running resume = b.start("resume", childId);
      awaitFile(resume, resume.err, s -> s.contains("took over run " + childId));
      signal("CONT", apply.pid());
      Runctl.Result lost = apply.await(Duration.ofMinutes(1));
      assertThat(lost.exitCode()).as(lost.toString()).isEqualTo(3);
      assertThat(lost.stderr())
          .contains("child [")
          .contains("run " + childId + " was taken over by pid " + resume.pid())
          .contains("the sweep stops");
      assertThat(marks).as("the sweep tore nothing down").doesNotExist();

      Files.writeString(release, "go\n");
      Runctl.Result resumed = resume.await(Duration.ofMinutes(2));
      assertThat(resumed.exitCode()).as(resumed.toString()).isZero();
      assertThat(Files.readString(marks)).isEqualTo("teardown\n");
    } finally {
      signal("CONT", apply.pid());
      // whatever failed above, no waiting step outlives the test
      Files.writeString(release, "go\n");
    }
  }

  /** The id of the first run whose packs in the bucket hold {@code text}. */
  private String awaitRunWith(String text) throws Exception {
    String runs = PREFIX + "/runs/";
    long deadline = System.nanoTime() + 120_000_000_000L;
    while (System.nanoTime() < deadline) {
      for (S3Object o : clients.s3.listObjectsV2(l -> l.bucket(BUCKET).prefix(runs)).contents()) {
        String key = o.key();
        if (key.contains("/packs/")
            && clients
                .s3
                .getObjectAsBytes(g -> g.bucket(BUCKET).key(key))
                .asUtf8String()
                .contains(text)) {
          return key.substring(runs.length(), key.indexOf('/', runs.length()));
        }
      }
      Thread.sleep(200);
    }
    throw new AssertionError("no run in the bucket held '" + text + "'");
  }

  private static void signal(String name, long pid) throws Exception {
    new ProcessBuilder("kill", "-" + name, Long.toString(pid)).start().waitFor();
  }

  private void putLock(
      String key, java.time.Instant since, java.time.Instant renewed, String lease) {
    clients.s3.putObject(
        p -> p.bucket(BUCKET).key(key),
        software.amazon.awssdk.core.sync.RequestBody.fromString(
            "pid=4242\nhost=other-machine\nsince="
                + since
                + "\nrenewed="
                + renewed
                + "\nlease="
                + lease
                + "\n"));
  }

  @Test
  void cancelFromTheSecondMachineStopsTheRunOnTheFirst() throws Exception {
    Runctl.Running apply = a.start("apply", specWith(200).toString());
    String runId = apply.runId(Duration.ofMinutes(1));
    awaitBucket(runId, "tick 1");
    Runctl.Running follow = b.start("logs", runId, "slow", "--follow");
    Runctl.Result cancel = b.run("cancel", runId);
    assertThat(cancel.exitCode()).as(cancel.toString()).isZero();
    assertThat(cancel.stdout()).contains("asked pid " + apply.pid()).contains("s3://" + BUCKET);
    long asked = System.nanoTime();
    Runctl.Result ended = apply.await(Duration.ofMinutes(1));
    double seconds = (System.nanoTime() - asked) / 1e9;
    assertThat(ended.exitCode()).as(ended.toString()).isEqualTo(130);
    assertThat(ended.stdout()).contains("cancelled");
    assertThat(seconds).as("seen within a poll, then the step stopped").isLessThan(15);
    Runctl.Result status = b.run("status", runId);
    assertThat(status.stdout()).as(status.toString()).contains("cancelled");
    // the follower on the other machine saw the run's output and ends once the run has
    Runctl.Result followed = follow.await(Duration.ofSeconds(30));
    assertThat(followed.exitCode()).as(followed.toString()).isZero();
    assertThat(followed.stdout()).contains("tick 1");
  }

  private String bucketJournal(String runId) {
    String prefix = PREFIX + "/runs/" + runId + "/journal/";
    StringBuilder b = new StringBuilder();
    List<S3Object> segments =
        clients.s3.listObjectsV2(l -> l.bucket(BUCKET).prefix(prefix)).contents();
    for (S3Object o : segments) {
      b.append(clients.s3.getObjectAsBytes(g -> g.bucket(BUCKET).key(o.key())).asUtf8String());
    }
    return b.toString();
  }

  /** Waits until the bucket's packs hold {@code text} (a step log's line). */
  private void awaitBucket(String runId, String text) throws Exception {
    String prefix = PREFIX + "/runs/" + runId + "/packs/";
    long deadline = System.nanoTime() + 120_000_000_000L;
    while (System.nanoTime() < deadline) {
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      for (S3Object o : clients.s3.listObjectsV2(l -> l.bucket(BUCKET).prefix(prefix)).contents()) {
        all.writeBytes(
            clients.s3.getObjectAsBytes(g -> g.bucket(BUCKET).key(o.key())).asByteArray());
      }
      if (all.toString(StandardCharsets.UTF_8).contains(text)) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("the bucket never held '" + text + "'");
  }

  private static void awaitFile(Runctl.Running r, Path file, Predicate<String> ready)
      throws Exception {
    long deadline = System.nanoTime() + 120_000_000_000L;
    while (System.nanoTime() < deadline) {
      String s = Files.exists(file) ? Files.readString(file) : null;
      if (s != null && ready.test(s)) {
        return;
      }
      if (!r.process.isAlive()) {
        throw new AssertionError("runctl ended:\n" + r.stdout() + r.stderr());
      }
      Thread.sleep(100);
    }
    throw new AssertionError("waiting on " + file);
  }
}
