package dev.runctl.cli;

import dev.runctl.cli.secrets.EnvSecretSource;
import dev.runctl.cli.secrets.FileSecretSource;
import dev.runctl.engine.plan.Planner;
import dev.runctl.engine.registry.Registry;
import dev.runctl.engine.spec.SpecLoader;
import dev.runctl.engine.spi.SecretSource;
import dev.runctl.engine.spi.StateBackend;
import dev.runctl.engine.spi.StepType;
import dev.runctl.engine.spi.TargetProvider;
import dev.runctl.steps.deps.DepsStep;
import dev.runctl.steps.provision.ProvisionStep;
import dev.runctl.steps.run.RunStep;
import dev.runctl.steps.sync.SyncStep;
import dev.runctl.steps.teardown.TeardownStep;
import dev.runctl.steps.train.TrainStep;
import dev.runctl.steps.verify.VerifyStep;
import dev.runctl.targets.aws.AwsParameterSecretSource;
import dev.runctl.targets.aws.AwsSecretSecretSource;
import dev.runctl.targets.aws.AwsSettings;
import dev.runctl.targets.aws.AwsTargetProvider;
import dev.runctl.targets.aws.state.S3StateBackend;
import dev.runctl.targets.local.LocalTargetProvider;
import dev.runctl.targets.slurm.SlurmTargetProvider;
import dev.runctl.targets.ssh.SshTargetProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The composition root: the step types and target providers this runctl knows, wired by hand
 * without a container. Built lazily, once per process, so that {@code runctl --help} builds
 * nothing. Providers whose classes are heavy (the AWS SDK) are wrapped in {@link
 * LazyTargetProvider}, so that a local spec never loads them.
 */
public final class Components {
  private final Supplier<Registry> registryFactory;
  private Registry registry;
  private SpecLoader specLoader;
  private Planner planner;
  private Supplier<RunIndex> runIndex = RunIndex::ofUser;

  public Components(Supplier<Registry> registryFactory) {
    this.registryFactory = registryFactory;
  }

  /**
   * These components with the index of runs kept in {@code file} instead of the user's, and without
   * the shared state RUNCTL_STATE names (the launcher's warm-up, whose throw-away runs must not be
   * listed by {@code runs --all} nor shipped to a team's bucket).
   */
  Components withRunIndex(java.nio.file.Path file) {
    Components c = new Components(registryFactory);
    c.runIndex = () -> new RunIndex(java.util.Optional.of(file));
    c.sharedStateUri = java.util.Optional.empty();
    return c;
  }

  private java.util.Optional<String> sharedStateUri =
      java.util.Optional.ofNullable(System.getenv(SharedRuns.ENV));

  /** The shared state RUNCTL_STATE names, unless these components leave it out. */
  java.util.Optional<String> sharedStateUri() {
    return sharedStateUri;
  }

  /** The index of runs: the user's ({@code $XDG_STATE_HOME/runctl}) unless set otherwise. */
  RunIndex runIndex() {
    return runIndex.get();
  }

  /** What the shipped runctl knows. */
  public static Components standard() {
    return new Components(Components::standardRegistry);
  }

  /** Components over a given registry (tests use small fixture step types). */
  public static Components of(Registry registry) {
    return new Components(() -> registry);
  }

  static Registry standardRegistry() {
    List<StepType<?>> steps = new ArrayList<>();
    steps.add(new ProvisionStep());
    steps.add(new SyncStep());
    steps.add(new DepsStep());
    steps.add(new TrainStep());
    steps.add(new VerifyStep());
    steps.add(new TeardownStep());
    steps.add(new RunStep());
    List<TargetProvider> targets = new ArrayList<>();
    targets.add(new LocalTargetProvider());
    targets.add(new LazyTargetProvider("aws", AwsSettings.SCHEMA, AwsTargetProvider::new));
    targets.add(new SshTargetProvider());
    targets.add(new SlurmTargetProvider());
    List<SecretSource> secrets = new ArrayList<>();
    secrets.add(new EnvSecretSource(System.getenv()));
    secrets.add(new FileSecretSource());
    secrets.add(new AwsSecretSecretSource());
    secrets.add(new AwsParameterSecretSource());
    List<StateBackend> states = List.of(new S3StateBackend());
    return new Registry(steps, targets, secrets, states);
  }

  public Registry registry() {
    if (registry == null) {
      registry = registryFactory.get();
    }
    return registry;
  }

  /** The planner of what {@link #specLoader()} loads. */
  public Planner planner() {
    if (planner == null) {
      planner = new Planner(registry());
    }
    return planner;
  }

  /** The spec loader, compiled schema and all, shared by the commands of this process. */
  public SpecLoader specLoader() {
    if (specLoader == null) {
      specLoader = new SpecLoader(registry());
    }
    return specLoader;
  }
}
