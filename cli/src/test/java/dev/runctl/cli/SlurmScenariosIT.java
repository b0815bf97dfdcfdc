package dev.runctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runctl.targets.slurm.testing.SlurmCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The slurm target's promises on a real two-node cluster, through the CLI as a process: two nodes
 * that find each other, a kill -9 of runctl then resume (one job ever), a requeue (preemption) that
 * continues from the checkpoint, and a cancel that leaves nothing queued.
 */
@ExtendWith(SlurmCluster.class)
class SlurmScenariosIT {
  /** Every rank sends RANK+1 to rank 0 at MASTER_ADDR:MASTER_PORT; rank 0 answers the sum. */
  private static final String RANKS =
      """
      import os, socket, sys, time
      rank, world = int(os.environ["RANK"]), int(os.environ["WORLD_SIZE"])
      addr, port = os.environ["MASTER_ADDR"], int(os.environ["MASTER_PORT"])
      print("rank %d of %d node_rank %s local_rank %s nodes %s master %s:%d" % (rank, world,
            os.environ["NODE_RANK"], os.environ["LOCAL_RANK"], os.environ["RUNCTL_NODES"], addr, port), flush=True)
      if rank == 0:
          srv = socket.create_server((addr, port), reuse_port=False)
          peers, total = [], 1
          while len(peers) < world - 1:
              c, _ = srv.accept()
              total += int(c.recv(64).decode())
              peers.append(c)
          for c in peers:
              c.sendall(str(total).encode())
              c.close()
      else:
          for _ in range(200):
              try:
                  c = socket.create_connection((addr, port))
                  break
              except OSError:
                  time.sleep(0.1)
          c.sendall(str(rank + 1).encode())
          total = int(c.recv(64).decode())
      print("rank %d agrees: sum %d" % (rank, total), flush=True)
      d = os.environ["RUNCTL_CHECKPOINT_DIR"]
      os.makedirs(d, exist_ok=True)
      open(os.path.join(d, "sum-%d.txt" % rank), "w").write(str(total))
      sys.exit(int(sys.argv[1]) if rank == world - 1 and len(sys.argv) > 1 else 0)
      """;

  @TempDir Path dir;
  SlurmProject project;

  @BeforeEach
  void setUp() throws Exception {
    project = new SlurmProject(dir);
    Files.writeString(project.source.resolve("training/ranks.py"), RANKS);
  }

  @Test
  void twoNodesReachRankZeroAndAgreeOnASum() throws Exception {
    Path spec =
        project.write(
            project.spec("ranks", "nodes: 2", "script: training/ranks.py", "timeout: 3m"));
    Runctl.Result r = project.runctl.start("apply", spec.toString()).await(Duration.ofMinutes(3));
    assertThat(r.exitCode()).as(r.toString()).isZero();
    String log = project.runctl.run("logs", r.runId(), "train").stdout();
    assertThat(log)
        .contains("0: rank 0 of 2 node_rank 0 local_rank 0 nodes 2 master 127.0.0.1:")
        .contains("1: rank 1 of 2 node_rank 1 local_rank 0 nodes 2 master 127.0.0.1:")
        .contains("0: rank 0 agrees: sum 3")
        .contains("1: rank 1 agrees: sum 3");
    Path collected = project.runctl.runDir(r.runId()).resolve("artifacts/checkpoints");
    assertThat(collected.resolve("sum-0.txt")).hasContent("3");
    assertThat(collected.resolve("sum-1.txt")).hasContent("3");
  }

  @Test
  void oneFailingNodeFailsTheAttempt() throws Exception {
    Path spec =
        project.write(
            project.spec(
                "ranks-fail",
                "nodes: 2",
                "script: training/ranks.py\nargs: [\"5\"]",
                "timeout: 3m"));
    Runctl.Result r = project.runctl.start("apply", spec.toString()).await(Duration.ofMinutes(3));
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
    assertThat(r.stdout() + r.stderr()).contains("exited with code 5");
    assertThat(jobsOf(r.runId())).allMatch(l -> !l.contains("RUNNING") && !l.contains("PENDING"));
  }

  @Test
  void killedDuringTrainThenResumedReattachesToTheSameJob() throws Exception {
    Path spec =
        project.write(
            project.spec(
                "reattach",
                "",
                "script: training/tiny_mlp.py\nargs: [\"--epochs\", \"8\", \"--epoch-seconds\", \"1\"]",
                "timeout: 5m"));
    Runctl.Running apply = project.runctl.start("apply", spec.toString());
    String runId = apply.runId(Duration.ofSeconds(60));
    awaitContent(project.runctl.runDir(runId).resolve("logs/train.log"), "epoch 2/8");
    apply.kill();
    assertThat(jobsOf(runId)).singleElement().asString().contains("RUNNING");
    Path env = project.clusterWorkdir.resolve(".runctl/jobs/" + runId + "-train-train/env");
    assertThat(Files.getPosixFilePermissions(env))
        .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    assertThat(Files.readString(env)).contains("SEED=7\0");
    String job = jobsOf(runId).get(0).split(" ")[0];
    assertThat(SlurmCluster.run("scontrol", "show", "job", "-o", job))
        .as("the environment goes through the file, not sbatch's --export")
        .doesNotContain("SEED");

    Runctl.Result runs = project.runctl.run("runs");
    assertThat(runs.stdout()).containsPattern("slurm job \\d+ running");

    Runctl.Result resumed = project.runctl.start("resume", runId).await(Duration.ofMinutes(3));
    assertThat(resumed.exitCode()).as(resumed.toString()).isZero();
    String log = project.runctl.run("logs", runId, "train").stdout();
    assertThat(log).contains("reattached to the training").contains("epoch 8/8");
    assertThat(log.split("starting fresh", -1)).hasSize(2);
    assertThat(jobsOf(runId)).as("one job ever").hasSize(1);
    assertThat(env).as("teardown removes the environment file").doesNotExist();
  }

  @Test
  void aRequeuedJobContinuesFromItsCheckpoint() throws Exception {
    Path spec =
        project.write(
            project.spec(
                "requeue",
                "",
                "script: training/tiny_mlp.py\nargs: [\"--epochs\", \"8\", \"--epoch-seconds\", \"1\"]",
                "retry: {max_attempts: 3, on: [interruption]}"));
    Runctl.Running apply = project.runctl.start("apply", spec.toString());
    String runId = apply.runId(Duration.ofSeconds(60));
    awaitContent(project.runctl.runDir(runId).resolve("logs/train.log"), "epoch 3/8");
    String job = jobsOf(runId).get(0).split(" ")[0];
    SlurmCluster.run("scontrol", "requeue", job);
    startNow(job); // Slurm holds a requeued job back for two minutes
    // started that soon, slurmd can refuse the new run (its credential was revoked within the same
    // second): the job ends FAILED and runctl requeues it, which Slurm holds back the two minutes
    Runctl.Result r = apply.await(Duration.ofMinutes(5));
    assertThat(r.exitCode()).as(r.toString()).isZero();
    String log = project.runctl.run("logs", runId, "train").stdout();
    assertThat(log)
        .contains("Slurm requeued job " + job)
        .containsPattern("resuming from checkpoint epoch [3-8]")
        .contains("epoch 8/8");
    assertThat(jobsOf(runId)).as("Slurm ran the same job again").hasSize(1);
  }

  @Test
  void cancelDuringTrainLeavesNothingInTheQueue() throws Exception {
    Path spec =
        project.write(
            project.spec(
                "cancel",
                "",
                "script: training/tiny_mlp.py\nargs: [\"--epochs\", \"60\", \"--epoch-seconds\", \"1\"]",
                ""));
    Runctl.Running apply = project.runctl.start("apply", spec.toString());
    String runId = apply.runId(Duration.ofSeconds(60));
    awaitContent(project.runctl.runDir(runId).resolve("logs/train.log"), "epoch 1/60");
    assertThat(project.runctl.run("cancel", runId).exitCode()).isZero();
    Runctl.Result r = apply.await(Duration.ofMinutes(2));
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(130);
    assertThat(SlurmCluster.queue()).isEmpty();
  }

  @Test
  void aJobCancelledByAnotherHandIsSaidSo() throws Exception {
    Path spec =
        project.write(
            project.spec(
                "scancelled",
                "",
                "script: training/tiny_mlp.py\nargs: [\"--epochs\", \"60\", \"--epoch-seconds\", \"1\"]",
                ""));
    Runctl.Running apply = project.runctl.start("apply", spec.toString());
    String runId = apply.runId(Duration.ofSeconds(60));
    awaitContent(project.runctl.runDir(runId).resolve("logs/train.log"), "epoch 1/60");
    SlurmCluster.run("scancel", jobsOf(runId).get(0).split(" ")[0]);
    Runctl.Result r = apply.await(Duration.ofMinutes(2));
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
    assertThat(r.stdout() + r.stderr()).contains("was cancelled outside runctl");
  }

  @Test
  void secretsAreMaskedInTheJobsOutputFileToo() throws Exception {
    Files.writeString(
        project.source.resolve("training/say.py"),
        "import os\nprint('token is ' + os.environ['TOKEN'], flush=True)\n");
    Path spec =
        project.write(
            project
                .spec("secret", "", "script: training/say.py", "")
                .replace(
                    "env: {SEED: \"7\"}", "env: {SEED: \"7\", TOKEN: \"${{ env.MY_TOKEN }}\"}"));
    project.runctl.env("MY_TOKEN", "hunter2-is-secret");
    Runctl.Result r = project.runctl.start("apply", spec.toString()).await(Duration.ofMinutes(2));
    assertThat(r.exitCode()).as(r.toString()).isZero();
    Path out = project.clusterWorkdir.resolve(".runctl/jobs/" + r.runId() + "-train-train/out");
    assertThat(Files.readString(out)).contains("token is ***").doesNotContain("hunter2");
    assertThat(project.runctl.run("logs", r.runId(), "train").stdout())
        .contains("token is ***")
        .doesNotContain("hunter2");
    assertThat(out.resolveSibling("mask")).as("removed at teardown").doesNotExist();
  }

  /** Jobs Slurm knows of this run (finished ones too): "id name state" lines. */
  static List<String> jobsOf(String runId) throws Exception {
    return SlurmCluster.run("squeue", "-h", "-t", "all", "-o", "%i %j %T")
        .lines()
        .filter(l -> l.contains(" runctl-" + runId + "-"))
        .toList();
  }

  /** Lets a requeued job start now instead of after Slurm's hold-back. */
  static void startNow(String job) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      String state = SlurmCluster.run("squeue", "-h", "-j", job, "-o", "%T").strip();
      if (state.equals("PENDING")) {
        SlurmCluster.run("scontrol", "update", "jobid=" + job, "starttime=now");
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("job " + job + " did not go back to the queue");
  }

  static void awaitContent(Path file, String text) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (System.nanoTime() < deadline) {
      if (Files.exists(file) && Files.readString(file).contains(text)) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError(file + " did not come to contain '" + text + "'");
  }
}
