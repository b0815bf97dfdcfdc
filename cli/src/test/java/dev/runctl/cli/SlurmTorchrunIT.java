package dev.runctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runctl.targets.slurm.testing.SlurmCluster;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code launcher: torchrun} on the real two-node cluster, with a stand-in for PyTorch's torchrun
 * (test resource {@code fake-torch}: {@code python -m torch.distributed.run} that parses torchrun's
 * rendezvous arguments strictly, makes the agents of all nodes meet at master_addr:master_port, and
 * starts the workers with RANK, LOCAL_RANK and WORLD_SIZE as torchrun sets them). PyTorch itself is
 * not installed here; what is proven is the command line runctl gives torchrun on each node and how
 * signals reach the workers through it, not PyTorch's own behaviour.
 */
@ExtendWith(SlurmCluster.class)
class SlurmTorchrunIT {
  /** Every worker sends RANK+1 to rank 0 at MASTER_ADDR:MASTER_PORT; rank 0 answers the sum. */
  private static final String WORKER =
      """
      import os, signal, socket, sys, time
      rank, world = int(os.environ["RANK"]), int(os.environ["WORLD_SIZE"])
      addr, port = os.environ["MASTER_ADDR"], int(os.environ["MASTER_PORT"])
      print("rank %d of %d group %s local %s of %s run %s" % (rank, world, os.environ["GROUP_RANK"],
            os.environ["LOCAL_RANK"], os.environ["LOCAL_WORLD_SIZE"],
            os.environ["TORCHELASTIC_RUN_ID"]), flush=True)
      if rank == 0:
          srv = socket.create_server((addr, port))
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
      if len(sys.argv) > 1 and sys.argv[1] == "--wait-for-usr1":
          got = []
          signal.signal(signal.SIGUSR1, lambda *_: got.append(1))
          print("rank %d waits for SIGUSR1" % rank, flush=True)
          for _ in range(1200):
              if got:
                  print("rank %d got SIGUSR1: checkpointing" % rank, flush=True)
                  break
              time.sleep(0.05)
          sys.exit(0 if got else 3)
      """;

  @TempDir Path dir;
  SlurmProject project;

  @BeforeEach
  void setUp() throws Exception {
    project = new SlurmProject(dir);
    Files.writeString(project.source.resolve("training/worker.py"), WORKER);
    for (String f :
        new String[] {
          "torch/__init__.py", "torch/distributed/__init__.py", "torch/distributed/run.py"
        }) {
      Path to = project.source.resolve("fake").resolve(f);
      Files.createDirectories(to.getParent());
      try (InputStream in = SlurmTorchrunIT.class.getResourceAsStream("/fake-torch/" + f)) {
        Files.copy(in, to);
      }
    }
  }

  private Path spec(String name, String args) throws Exception {
    return spec(name, args, 2);
  }

  private Path spec(String name, String args, int nodes) throws Exception {
    String yaml =
        project
            .spec(
                name,
                "nodes: " + nodes + "\nlauncher: torchrun",
                "script: training/worker.py\nargs: " + args,
                "timeout: 3m")
            .replace("env: {SEED: \"7\"}", "env: {SEED: \"7\", PYTHONPATH: fake}");
    return project.write(yaml);
  }

  @Test
  void eachNodesTorchrunMeetsTheOthersAndItsWorkersAgreeOnASum() throws Exception {
    Runctl.Result r =
        project
            .runctl
            .start("apply", spec("torchrun", "[]").toString())
            .await(Duration.ofMinutes(3));
    assertThat(r.exitCode()).as(r.toString()).isZero();
    String log = project.runctl.run("logs", r.runId(), "train").stdout();
    assertThat(log)
        .as("the workers were started by torchrun (GROUP_RANK, LOCAL_WORLD_SIZE are its own)")
        .contains("0: rank 0 of 2 group 0 local 0 of 1 run none")
        .contains("1: rank 1 of 2 group 1 local 0 of 1 run none")
        .contains("0: rank 0 agrees: sum 3")
        .contains("1: rank 1 agrees: sum 3");
  }

  @Test
  void theCheckpointSignalReachesTheWorkersAndTorchrunSurvivesIt() throws Exception {
    Runctl.Running apply =
        project.runctl.start("apply", spec("torchrunusr1", "[\"--wait-for-usr1\"]").toString());
    String runId = apply.runId(Duration.ofSeconds(60));
    Path log = project.runctl.runDir(runId).resolve("logs/train.log");
    SlurmScenariosIT.awaitContent(log, "0: rank 0 waits for SIGUSR1");
    SlurmScenariosIT.awaitContent(log, "1: rank 1 waits for SIGUSR1");
    String job = SlurmScenariosIT.jobsOf(runId).get(0).split(" ")[0];
    // what --signal=B:USR1@<grace> does before the time limit: USR1 to the batch shell
    SlurmCluster.run("scancel", "--batch", "--signal=USR1", job);
    Runctl.Result r = apply.await(Duration.ofMinutes(2));
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(project.runctl.run("logs", runId, "train").stdout())
        .contains("0: rank 0 got SIGUSR1: checkpointing")
        .contains("1: rank 1 got SIGUSR1: checkpointing");
  }

  @Test
  void onOneNodeTheBatchScriptPassesTheCheckpointSignalToTheWorker() throws Exception {
    Runctl.Running apply =
        project.runctl.start("apply", spec("torchrunone", "[\"--wait-for-usr1\"]", 1).toString());
    String runId = apply.runId(Duration.ofSeconds(60));
    Path log = project.runctl.runDir(runId).resolve("logs/train.log");
    SlurmScenariosIT.awaitContent(log, "rank 0 waits for SIGUSR1");
    String job = SlurmScenariosIT.jobsOf(runId).get(0).split(" ")[0];
    SlurmCluster.run("scancel", "--batch", "--signal=USR1", job);
    Runctl.Result r = apply.await(Duration.ofMinutes(2));
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(project.runctl.run("logs", runId, "train").stdout())
        .contains("rank 0 of 1 group 0 local 0 of 1 run none")
        .contains("rank 0 got SIGUSR1: checkpointing");
  }
}
