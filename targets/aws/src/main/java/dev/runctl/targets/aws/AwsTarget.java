package dev.runctl.targets.aws;

import dev.runctl.engine.spi.Health;
import dev.runctl.engine.spi.Machine;
import dev.runctl.engine.spi.StepException;
import dev.runctl.engine.spi.StepLog;
import dev.runctl.engine.spi.SyncRequest;
import dev.runctl.engine.spi.SyncResult;
import dev.runctl.engine.spi.Target;
import dev.runctl.engine.spi.TargetContext;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;

/** One run's view of AWS: provisions, finds again, and destroys the run's instances. */
final class AwsTarget implements Target {
  private final AwsConfig config;
  private final TargetContext ctx;
  private final RunFacts facts;
  private final LaunchGate gate = new LaunchGate();
  private AwsClients clients;
  private Machines machines;

  AwsTarget(AwsConfig config, TargetContext ctx) {
    this.config = config;
    this.ctx = ctx;
    this.facts = new RunFacts(ctx.facts());
  }

  private synchronized AwsClients clients() {
    if (clients == null) {
      clients = new AwsClients(config);
      machines = new Machines(clients, config, ctx, facts);
    }
    return clients;
  }

  private Machines machines() {
    clients();
    return machines;
  }

  @Override
  public Machine provision(StepLog log) throws InterruptedException {
    gate.provisioning();
    String id;
    try {
      id = launchOrFind(log);
    } finally {
      gate.open();
    }
    AwsClients c = clients();
    InstanceWatch watch = new InstanceWatch(c.ec2);
    Readiness ready = new Readiness(c.ec2, c.ssm, watch, ctx.clock(), config);
    ready.awaitRunning(id, log);
    ready.awaitSsmOnline(id, log);
    String home =
        Guard.start(
            machines().shell(id),
            facts.home(id),
            ctx.runId(),
            config.bucket(),
            facts.launchedAt(id).orElse(ctx.clock().now()),
            ctx.maxDuration(),
            config.idleTimeout(),
            log);
    if (facts.home(id).isEmpty()) {
      facts.home(id, home);
    }
    AwsMachine machine = machines().machine(id);
    machine.restoreWatched(log); // a resume that does not train again finds the checkpoints too
    return machine;
  }

  /** This run's instance: the one found alive, or a new one. */
  private String launchOrFind(StepLog log) throws InterruptedException {
    AwsClients c = clients();
    Optional<Instance> existing = findAlive();
    String id;
    if (existing.isPresent()) {
      id = existing.get().instanceId();
      log.line("found " + id + ", made earlier for this run: using it");
      if (!facts.instances().contains(id)) {
        // runctl died between RunInstances and recording it: record it now
        Instance found = existing.get();
        boolean spot = found.instanceLifecycleAsString() != null;
        Optional<BigDecimal> list =
            config.listPrice(found.instanceTypeAsString()).map(PriceTable.Price::perHour);
        facts.launched(
            id,
            found.launchTime() == null ? ctx.clock().now() : found.launchTime(),
            (spot ? config.maxPrice().or(() -> list) : list)
                .or(config::planPricePerHour)
                .orElse(BigDecimal.ZERO),
            spot ? "spot" : "on_demand");
        facts.attempt(
            found.instanceTypeAsString()
                + " in "
                + (found.placement() == null ? c.region() : found.placement().availabilityZone())
                + ": found "
                + id
                + ", launched earlier for this run");
      }
    } else {
      ImageResolver.Resolved image = new ImageResolver(c.ec2, c.ssm).resolve(config.image());
      Launcher launcher = new Launcher(c.ec2, config, c.region(), facts, tags(log), ctx.warnings());
      id = launcher.launch(image, ctx.runId(), log, ctx.clock().now()).instanceId();
    }
    return id;
  }

  @Override
  public Machine machine() throws InterruptedException {
    Optional<String> id = facts.current();
    if (id.isEmpty() || facts.home(id.get()).isEmpty()) {
      throw StepException.fatal(
          "This run has no aws machine yet",
          "the aws target needs a provision step before the steps that use the machine");
    }
    Health health = new InstanceWatch(clients().ec2).health(id.get());
    if (health != Health.ALIVE) {
      throw StepException.interruption(
          "The run's instance " + id.get() + " is " + health.name().toLowerCase(),
          "retry with on: [interruption] provisions a new instance");
    }
    return machines().machine(id.get());
  }

  /**
   * The upload half of a sync, while provision waits for the instance: the blobs the bucket lacks.
   */
  @Override
  public SyncResult stage(SyncRequest request) throws InterruptedException {
    if (gate.await(LaunchGate.MAX_WAIT)) {
      request.progress().accept("the instance is launched: uploading while it boots");
    }
    return machines().stage(request);
  }

  @Override
  public void prepareStage() {
    Thread t =
        new Thread(
            () -> {
              try {
                machines().prepareStage();
              } catch (RuntimeException e) {
                // stage meets it again and reports it
              }
            },
            "runctl-aws-prepare-stage");
    t.setDaemon(true);
    t.start();
  }

  @Override
  public void destroy(StepLog log) throws InterruptedException {
    new Teardown(clients(), facts, ctx, config.bucket()).destroy(ids(), log);
  }

  /** E.g. "i-0abc running (g5.xlarge spot, $0.30/h, up 2h13m)". */
  @Override
  public List<String> liveResources() {
    List<String> out = new ArrayList<>();
    Instant now = ctx.clock().now();
    for (Instance i : describe(ids(), true)) {
      if (i.state().name() != InstanceStateName.TERMINATED) {
        out.add(LiveInstances.describe(i, facts, now));
      }
    }
    return out;
  }

  @Override
  public Optional<BigDecimal> costUntil(Instant now) {
    return facts.costUntil(now);
  }

  @Override
  public synchronized void close() {
    if (clients != null) {
      clients.close();
      clients = null;
    }
  }

  /** The ids the facts record, plus any instance tagged with this run (a crash before record). */
  private List<String> ids() {
    Set<String> ids = new LinkedHashSet<>(facts.instances());
    describe(List.of(), false).forEach(i -> ids.add(i.instanceId()));
    return new ArrayList<>(ids);
  }

  private Optional<Instance> findAlive() {
    Set<String> ids = new LinkedHashSet<>(facts.current().stream().toList());
    List<Instance> candidates = new ArrayList<>(describe(List.copyOf(ids), true));
    candidates.addAll(describe(List.of(), false));
    return candidates.stream()
        .filter(
            i ->
                i.state().name() == InstanceStateName.RUNNING
                    || i.state().name() == InstanceStateName.PENDING)
        .findFirst();
  }

  /** Instances by id ({@code byId}) or, without ids, by this run's tag. */
  private List<Instance> describe(List<String> ids, boolean byId) {
    if (byId && ids.isEmpty()) {
      return List.of();
    }
    AwsClients c = clients();
    List<Instance> out = new ArrayList<>();
    AwsErrors.run(
        "look up this run's instances",
        () ->
            c.ec2
                .describeInstancesPaginator(
                    r -> {
                      if (byId) {
                        // a filter, not InstanceIds: an id AWS has forgotten is no error here
                        r.filters(Filter.builder().name("instance-id").values(ids).build());
                      } else {
                        r.filters(
                            Filter.builder().name("tag:runctl:run-id").values(ctx.runId()).build(),
                            Filter.builder()
                                .name("instance-state-name")
                                .values(
                                    "pending", "running", "stopping", "stopped", "shutting-down")
                                .build());
                      }
                    })
                .reservations()
                .forEach(res -> out.addAll(res.instances())));
    return out;
  }

  private Map<String, String> tags(StepLog log) {
    Map<String, String> tags = new LinkedHashMap<>(config.tags());
    String step = log.file() == null ? "provision" : log.file().getFileName().toString();
    step = step.endsWith(".log") ? step.substring(0, step.length() - 4) : step;
    tags.put("Name", "runctl " + ctx.jobName() + " " + ctx.runId());
    tags.put("runctl:run-id", ctx.runId());
    tags.put("runctl:step", step);
    tags.put("runctl:job", ctx.jobName());
    return tags;
  }
}
