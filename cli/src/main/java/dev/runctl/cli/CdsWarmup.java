package dev.runctl.cli;

import dev.runctl.engine.plan.LoadResult;
import dev.runctl.engine.plan.Plan;
import dev.runctl.engine.spi.MemoryFacts;
import dev.runctl.engine.spi.RunClock;
import dev.runctl.engine.spi.Target;
import dev.runctl.engine.spi.TargetContext;
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
 * The launcher's class-data-sharing runs: {@code ./runctl} starts this once per build with {@code
 * -XX:DumpLoadedClassList} and archives the classes it loaded. For every command but {@code plan}
 * it applies a small local job in a temporary folder (provision, sync, a {@code run} step and
 * teardown, with deps, train and verify configured but skipped; steps with retries or a timeout go
 * through Failsafe, the {@code run} step without), then lists the runs and shows the run's status
 * and a step's log, and shows the help (picocli's path). It then plans a job on each remote target
 * that needs no account of runctl's own (ssh, slurm on this machine and over ssh) and opens each
 * target, which connects to nothing, so that their classes are archived too. With {@code plan SPEC}
 * it is the run for {@code plan}: SPEC planned as {@code runctl plan SPEC} would, output included,
 * then the same remote jobs planned. With {@code --aws} (the archive of {@code apply} and {@code
 * resume}), it also builds the AWS SDK's clients and makes a call of each protocol against a
 * stand-in on 127.0.0.1 ({@link AwsWarmup}). Everything it writes, the index of runs included (its
 * own, not the user's), is deleted again; its own output is discarded.
 *
 * <pre>java -XX:DumpLoadedClassList=runctl.classes -cp runctl.jar dev.runctl.cli.CdsWarmup</pre>
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

  /** Jobs on the remote targets: planned, and their targets opened, without any connection. */
  private static final List<String> REMOTE =
      List.of(
          """
          version: 1
          name: cds-warmup-ssh
          workdir: work
          target: {provider: ssh, host: cds-warmup.invalid, user: runctl, port: 2222}
          steps:
            - {id: provision, uses: provision}
            - {id: sync, uses: sync}
            - {id: train, uses: train, retry: {max_attempts: 2}, with: {script: train.py}}
            - {id: teardown, uses: teardown, when: always}
          """,
          """
          version: 1
          name: cds-warmup-slurm
          workdir: work
          target: {provider: slurm, partition: gpu, nodes: 2, gpus_per_node: 1}
          steps:
            - {id: provision, uses: provision}
            - {id: sync, uses: sync}
            - {id: train, uses: train, timeout: 10m, with: {script: train.py}}
            - {id: teardown, uses: teardown, when: always}
          """,
          """
          version: 1
          name: cds-warmup-slurm-login
          workdir: work
          target: {provider: slurm, partition: gpu, login: {ssh: cds-warmup.invalid}}
          steps:
            - {id: train, uses: train, with: {script: train.py}}
          """);

  private CdsWarmup() {}

  private static void run(Components components, PrintWriter none, String... args) {
    int code = Main.execute(components, args, none, none);
    if (code != 0) {
      // The launcher goes on without the archive's benefit; the test of this class fails.
      throw new IllegalStateException(
          "the warm-up `" + String.join(" ", args) + "` exited with " + code);
    }
  }

  public static void main(String[] args) throws IOException {
    readManifestAsJavaJarDoes();
    if (args.length == 2 && args[0].equals("plan")) {
      Components components = Components.standard();
      int code = Main.run(components, new String[] {"plan", args[1]});
      if (code != 0) {
        throw new IllegalStateException("the warm-up `plan " + args[1] + "` exited with " + code);
      }
      inTemporaryFolder(dir -> remote(components, dir, false));
      return;
    }
    inTemporaryFolder(CdsWarmup::everyOtherCommand);
    if (List.of(args).contains("--aws")) {
      awsClients();
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

  private static void everyOtherCommand(Path dir) throws IOException {
    PrintWriter none = new PrintWriter(OutputStream.nullOutputStream(), true);
    // its own index of runs, deleted with the rest: the user's `runs --all` never lists it
    Components components =
        Components.standard().withRunIndex(dir.resolve("state-home/runctl/runs.tsv"));
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
    remote(components, dir, true);
  }

  /** Plans each of {@link #REMOTE} through the CLI; with {@code open}, opens its target too. */
  private static void remote(Components components, Path dir, boolean open) throws IOException {
    PrintWriter none = new PrintWriter(OutputStream.nullOutputStream(), true);
    Path work = Files.createDirectories(dir.resolve("work"));
    if (!Files.exists(work.resolve("train.py"))) {
      Files.writeString(work.resolve("train.py"), "print('warm')\n");
    }
    for (int i = 0; i < REMOTE.size(); i++) {
      Path spec = Files.writeString(dir.resolve("remote-" + i + ".yaml"), REMOTE.get(i));
      run(
          components,
          none,
          "--state-dir",
          dir.resolve("state").toString(),
          "plan",
          spec.toString());
      if (open) {
        Plan plan =
            ((LoadResult.Loaded)
                    components
                        .planner()
                        .plan(components.specLoader().load(spec, REMOTE.get(i), List.of())))
                .plan();
        TargetContext context =
            TargetContext.builder()
                .runId("cds-warmup")
                .jobName(plan.job().name())
                .runDir(dir.resolve("run"))
                .localWorkdir(dir.resolve("work"))
                .cacheDir(dir.resolve("cache"))
                .facts(new MemoryFacts())
                .warnings(w -> {})
                .clock(RunClock.SYSTEM)
                .build();
        // opening connects to nothing (a step does): its classes are loaded, nothing is left
        Target target = plan.targetProvider().open(plan.targetConfig(), context);
        target.close();
      }
    }
  }

  /**
   * The launcher starts runctl with {@code java -jar}, which opens the jar, reads its manifest and
   * closes the file before {@link Main} runs; this warm-up runs with {@code -cp}, so it closes the
   * jar's file once too, for the archive to hold what that loads.
   */
  private static void readManifestAsJavaJarDoes() throws IOException {
    Path source;
    try {
      source = Path.of(CdsWarmup.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (java.net.URISyntaxException | RuntimeException e) {
      return;
    }
    if (Files.isRegularFile(source)) {
      // the jar is open already (this class came from it): closing that one file is what is left
      new java.io.RandomAccessFile(source.toFile(), "r").close();
    }
  }

  private interface InFolder {
    void run(Path dir) throws IOException;
  }

  private static void inTemporaryFolder(InFolder body) throws IOException {
    Path dir = Files.createTempDirectory("runctl-cds");
    try {
      body.run(dir);
    } finally {
      try (Stream<Path> all = Files.walk(dir)) {
        all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
