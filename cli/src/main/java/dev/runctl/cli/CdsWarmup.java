package dev.runctl.cli;

import dev.runctl.targets.aws.AwsWarmup;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The launcher's class-data-sharing run for every command but {@code plan}: {@code ./runctl} starts
 * this once per build with {@code -XX:DumpLoadedClassList} and archives the classes it loaded. It
 * applies a small local job in a temporary folder (provision, sync, a {@code run} step and
 * teardown, with deps, train and verify configured but skipped; steps with retries or a timeout go
 * through Failsafe, the {@code run} step without), then lists the runs and shows the run's status
 * and a step's log, and shows the help (picocli's path). With {@code --aws} (the archive of {@code
 * apply} and {@code resume}), it then builds the AWS SDK's clients and makes a call of each
 * protocol against a stand-in on 127.0.0.1 ({@link AwsWarmup}). Everything it writes, the index of
 * runs included (its own, not the user's), is deleted again; its output is discarded.
 *
 * <pre>java -XX:DumpLoadedClassList=runctl.classes -cp runctl.jar dev.runctl.cli.CdsWarmup [--aws]
 * </pre>
 */
public final class CdsWarmup {
  private static final String SPEC =
      """
      version: 1
      name: cds-warmup
      workdir: work
      budget: {max_duration: 5m}
      steps:
        - {id: provision, uses: provision}
        - {id: sync, uses: sync, timeout: 5m, with: {exclude: ["*.tmp", "cache/"]}}
        - {id: run, uses: run, with: {command: ["true"]}}
        - {id: deps, uses: deps, when: on_failure, with: {requirements: requirements.txt}}
        - id: train
          uses: train
          when: on_failure
          retry: {max_attempts: 2, on: [error, timeout, interruption]}
          with: {script: train.py, args: ["--name", "a b"], checkpoints: ck, progress_timeout: 2m}
        - id: verify
          uses: verify
          when: on_failure
          with: {files: ["ck/*.json"], metrics: {file: ck/m.json, expect: {accuracy: ">= 0.9"}}}
        - {id: teardown, uses: teardown, when: always, with: {collect: ["ck/"]}}
      """;

  private CdsWarmup() {}

  private static void run(Components components, PrintWriter none, String... args) {
    int code = Main.execute(components, args, none, none);
    if (code != 0) {
      // The launcher goes on without the archive's benefit; the test of this class fails.
      throw new IllegalStateException(
          "the warm-up `" + String.join(" ", args) + "` exited with " + code);
    }
  }

  /** Best effort: without the SDK's classes the archive still serves every other command. */
  private static void awsClients() {
    try {
      AwsWarmup.run();
    } catch (IOException | RuntimeException e) {
      System.err.println("runctl: the AWS part of the class-data-sharing warm-up failed: " + e);
    }
  }

  public static void main(String[] args) throws IOException {
    PrintWriter none = new PrintWriter(OutputStream.nullOutputStream(), true);
    Path dir = Files.createTempDirectory("runctl-cds");
    // its own index of runs, deleted with the rest: the user's `runs --all` never lists it
    Components components =
        Components.standard().withRunIndex(dir.resolve("state-home/runctl/runs.tsv"));
    try {
      Path work = Files.createDirectories(dir.resolve("work"));
      Files.writeString(work.resolve("train.py"), "print('warm')\n");
      Files.writeString(work.resolve("requirements.txt"), "");
      Path spec = Files.writeString(dir.resolve("job.yaml"), SPEC);
      Path stateDir = dir.resolve("state");
      String state = stateDir.toString();
      run(components, none, "--state-dir", state, "apply", spec.toString());
      String runId;
      try (Stream<Path> runs = Files.list(stateDir.resolve("runs"))) {
        runId = runs.findFirst().orElseThrow().getFileName().toString();
      }
      // The commands people run next, so that their classes are in the archive too.
      run(components, none, "--state-dir", state, "runs", "--no-check");
      run(components, none, "--state-dir", state, "status", runId);
      run(components, none, "--state-dir", state, "logs", runId, "run");
      // and picocli's, which shows help and says what is wrong with unusual arguments
      run(components, none, "--help");
      if (List.of(args).contains("--aws")) {
        // the AWS SDK's clients and a call of each protocol, against a stand-in on 127.0.0.1
        awsClients();
      }
    } finally {
      try (Stream<Path> all = Files.walk(dir)) {
        all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
