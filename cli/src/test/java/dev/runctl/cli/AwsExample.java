package dev.runctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runctl.targets.aws.moto.MotoServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The aws example spec applied by the real runctl CLI, as a separate process, against the patched
 * moto_server: every command really runs in the emulated instance's sandbox. The bucket, the image
 * (moto's) and the market are test values, and the example's PyTorch trainer is swapped for the
 * bundled standard-library one: the emulated instance has no GPU and no package index. The
 * scenarios are split over a few test classes so that the failsafe forks run them side by side;
 * each class has its own moto_server.
 */
abstract class AwsExample {
  static final String BUCKET = "runctl-e2e";
  @TempDir Path dir;
  MotoProject aws;
  Runctl cli;

  /** The class's own moto_server. */
  abstract MotoServer moto();

  @BeforeEach
  void setUp() throws Exception {
    aws = new MotoProject(moto(), dir, BUCKET);
    cli = aws.runctl;
  }

  @AfterEach
  void noInstanceOfTheRunsLeftRunning() {
    aws.close();
  }

  /** Two types in two zones, tried in the order written. */
  static Path failover(Path spec) throws IOException {
    return edit(
        spec,
        "instance_type: g5.xlarge",
        "instance_type: [g5.xlarge, g6.xlarge]\n"
            + "  availability_zones: [us-east-1a, us-east-1b]");
  }

  static Path quickProvisionRetries(Path spec) throws IOException {
    return edit(
        spec,
        "  - id: provision\n    uses: provision\n",
        "  - id: provision\n    uses: provision\n"
            + "    retry: {max_attempts: 2, initial_interval: 1s}\n");
  }

  /** {@code spec} with {@code text} replaced by {@code by}, in place. */
  static Path edit(Path spec, String text, String by) throws IOException {
    Files.writeString(spec, Files.readString(spec).replace(text, by));
    return spec;
  }

  /** The aws example with test values for the bucket, image and market, and the CPU trainer. */
  Path spec(String market, int epochs, double epochSeconds) throws IOException {
    String text = Files.readString(Path.of("../specs/examples/aws-spot-gpu.yaml"));
    text =
        text.replace("bucket: my-runctl-bucket", "bucket: " + BUCKET)
            .replaceAll("market: spot ", "market: " + market + " ")
            .replaceAll(
                "ssm_parameter: .*",
                "ssm_parameter: /aws/service/ami-amazon-linux-latest/al2023-ami-kernel-6.1-x86_64")
            .replace("workdir: ../..", "workdir: .")
            .replace("training/requirements-torch.txt", "training/requirements.txt")
            .replaceAll("\n *pip_args: .*", "")
            .replace("training/torch_mnist.py", "training/tiny_mlp.py")
            .replaceAll(
                "args: \\[.*\\]",
                "args: [\"--epochs\", \""
                    + epochs
                    + "\", \"--epoch-seconds\", \""
                    + epochSeconds
                    + "\", \"--name\", \"e2e run\"]")
            .replaceAll("accuracy: \">= [0-9.]+\"", "accuracy: \">= 0.80\"");
    Path p = dir.resolve("project/aws.yaml");
    Files.writeString(p, text);
    return p;
  }

  void awaitCheckpoint(String runId) throws InterruptedException {
    Instant deadline = Instant.now().plusSeconds(120);
    String prefix = "runctl/runs/" + runId + "/watch/";
    // Only the checkpoint's own name counts: the run id in the key holds the time of day, and
    // just after midnight its digits matched a looser pattern for any checkpoint at all.
    java.util.regex.Pattern epoch3OrLater =
        java.util.regex.Pattern.compile(".*/ckpt-epoch-(000[3-9]|00[1-9][0-9])\\.json");
    while (aws.s3.listObjectsV2(r -> r.bucket(BUCKET).prefix(prefix)).contents().stream()
        .noneMatch(o -> epoch3OrLater.matcher(o.key()).matches())) {
      assertThat(Instant.now()).as("a checkpoint of epoch 3 in the bucket").isBefore(deadline);
      Thread.sleep(250);
    }
  }

  /** Waits until {@code file} satisfies {@code ready} while {@code runctl} is still running. */
  static void awaitFile(Runctl.Running runctl, Path file, Predicate<String> ready)
      throws Exception {
    Instant deadline = Instant.now().plusSeconds(180);
    while (true) {
      String s = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : null;
      if (s != null && ready.test(s)) {
        return;
      }
      if (!runctl.process.isAlive() || Instant.now().isAfter(deadline)) {
        throw new AssertionError(
            "waiting on "
                + file
                + " ("
                + s
                + "); runctl:\n"
                + runctl.stdout()
                + "--- stderr\n"
                + runctl.stderr());
      }
      Thread.sleep(100);
    }
  }
}
