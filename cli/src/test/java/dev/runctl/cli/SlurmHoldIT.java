package dev.runctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runctl.targets.slurm.testing.SlurmCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hold_allocation: true} on the real test cluster: provision takes one allocation, the steps
 * after it run in it with srun (on a compute node), a resumed runctl reattaches to it and to the
 * training's step, and nothing of the run is left in the queue after teardown.
 */
@ExtendWith(SlurmCluster.class)
class SlurmHoldIT {
  private static final Pattern HELD = Pattern.compile("holding allocation (\\d+)");
  @TempDir Path dir;
  SlurmProject project;

  @BeforeEach
  void setUp() throws Exception {
    project = new SlurmProject(dir);
  }

  private Path spec(String name, String trainArgs) throws Exception {
    String yaml =
        project.spec(
            name,
            "hold_allocation: true",
            "script: training/tiny_mlp.py\nargs: " + trainArgs + "\nprogress_timeout: 1m",
            "timeout: 5m");
    yaml =
        yaml.replace(
            "  - id: teardown",
            """
              - id: where
                uses: run
                needs: [train]
                with: {shell: "echo job=$SLURM_JOB_ID node=$SLURMD_NODENAME step=$SLURM_STEP_ID"}
              - id: teardown\
            """);
    return project.write(yaml);
  }

  @Test
  void theStepsRunInTheAllocationProvisionTookAndTeardownReleasesIt() throws Exception {
    Runctl.Result r =
        project
            .runctl
            .start("apply", spec("held", "[\"--epochs\", \"3\"]").toString())
            .await(Duration.ofMinutes(3));
    assertThat(r.exitCode()).as(r.toString()).isZero();
    String runId = r.runId();
    String provision = project.runctl.run("logs", runId, "provision").stdout();
    Matcher m = HELD.matcher(provision);
    assertThat(m.find()).as(provision).isTrue();
    String alloc = m.group(1);
    assertThat(project.runctl.run("logs", runId, "where").stdout())
        .as("a run: step after provision runs on a node of the allocation")
        .containsPattern("job=" + alloc + " node=n[12] step=\\d+");
    assertThat(project.runctl.run("logs", runId, "train").stdout()).contains("done: 3 epochs");
    assertThat(project.runctl.run("logs", runId, "teardown").stdout())
        .contains("cancelled Slurm job(s) " + alloc);
    assertThat(SlurmScenariosIT.jobsOf(runId))
        .as("one job: the allocation; the training was a step of it, not a batch job of its own")
        .singleElement()
        .asString()
        .startsWith(alloc + " runctl-" + runId + "-alloc");
    assertThat(SlurmCluster.queue()).isEmpty();
  }

  @Test
  void killedDuringTrainThenResumedReattachesToTheAllocationAndItsStep() throws Exception {
    Runctl.Running apply =
        project.runctl.start(
            "apply",
            spec("heldresume", "[\"--epochs\", \"8\", \"--epoch-seconds\", \"1\"]").toString());
    String runId = apply.runId(Duration.ofSeconds(60));
    SlurmScenariosIT.awaitContent(
        project.runctl.runDir(runId).resolve("logs/train.log"), "epoch 2/8");
    apply.kill();
    List<String> jobs = SlurmScenariosIT.jobsOf(runId);
    assertThat(jobs).singleElement().asString().contains("RUNNING");
    String alloc = jobs.get(0).split(" ")[0];
    assertThat(SlurmCluster.run("squeue", "-h", "--steps", "-j", alloc, "-o", "%j"))
        .as("the training runs on as a step of the allocation")
        .contains("runctl-" + runId + "-train-train");

    Runctl.Result resumed = project.runctl.start("resume", runId).await(Duration.ofMinutes(3));
    assertThat(resumed.exitCode()).as(resumed.toString()).isZero();
    String log = project.runctl.run("logs", runId, "train").stdout();
    assertThat(log).contains("reattached to the training").contains("epoch 8/8");
    assertThat(log.split("starting fresh", -1)).as("one training start").hasSize(2);
    assertThat(SlurmScenariosIT.jobsOf(runId)).as("one allocation ever").hasSize(1);
    assertThat(project.runctl.run("logs", runId, "where").stdout()).contains("job=" + alloc);
    assertThat(SlurmCluster.queue()).isEmpty();
  }
}
