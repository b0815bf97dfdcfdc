package dev.runctl.targets.aws;

import dev.runctl.engine.spi.Liveness;
import dev.runctl.engine.spi.StepException;
import dev.runctl.engine.spi.TargetRun;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.Tag;

/**
 * The instances that many runs left alive, found with one EC2 client and one pass per region: the
 * instances tagged with any of the runs' ids, and those their facts record (a tag could have been
 * removed by hand), in both cases only the ones not terminated. For {@code runctl runs}, which asks
 * about every run that no runctl holds.
 */
final class LiveInstances {
  /** EC2 takes at most 200 values per filter. */
  static final int MAX_FILTER_VALUES = 200;

  static final List<String> NOT_TERMINATED =
      List.of("pending", "running", "stopping", "stopped", "shutting-down");

  private LiveInstances() {}

  static Map<String, Liveness> of(List<TargetRun> runs, Duration timeout) {
    Map<String, List<TargetRun>> byRegion = new LinkedHashMap<>();
    for (TargetRun run : runs) {
      AwsConfig config = (AwsConfig) run.config();
      byRegion.computeIfAbsent(config.region(), r -> new ArrayList<>()).add(run);
    }
    Map<String, Liveness> out = new LinkedHashMap<>();
    byRegion.values().forEach(group -> out.putAll(inOneRegion(group, timeout)));
    return out;
  }

  private static Map<String, Liveness> inOneRegion(List<TargetRun> runs, Duration timeout) {
    Map<String, Liveness> out = new LinkedHashMap<>();
    Map<String, RunFacts> facts = new LinkedHashMap<>();
    Map<String, String> ownerOfRecorded = new LinkedHashMap<>();
    Instant now = Instant.now();
    for (TargetRun run : runs) {
      String id = run.context().runId();
      RunFacts f = new RunFacts(run.context().facts());
      facts.put(id, f);
      f.instances().forEach(i -> ownerOfRecorded.putIfAbsent(i, id));
      now = run.context().clock().now();
    }
    String where = ((AwsConfig) runs.get(0).config()).region();
    Map<String, List<String>> alive = new LinkedHashMap<>();
    facts.keySet().forEach(id -> alive.put(id, new ArrayList<>()));
    try {
      Region region = AwsClients.resolveRegion((AwsConfig) runs.get(0).config());
      Map<String, Instance> found = new LinkedHashMap<>();
      try (Ec2Client ec2 = AwsClients.quickEc2(region, timeout)) {
        String action =
            "look up the instances of "
                + runs.size()
                + (runs.size() == 1 ? " run" : " runs")
                + " in "
                + region.id();
        for (List<String> chunk : chunks(facts.keySet())) {
          describe(ec2, action, "tag:runctl:run-id", chunk)
              .forEach(i -> found.put(i.instanceId(), i));
        }
        for (List<String> chunk : chunks(ownerOfRecorded.keySet())) {
          describe(ec2, action, "instance-id", chunk).forEach(i -> found.put(i.instanceId(), i));
        }
      }
      for (Instance i : found.values()) {
        String owner = tag(i, "runctl:run-id").filter(alive::containsKey).orElse(null);
        if (owner == null) {
          owner = ownerOfRecorded.get(i.instanceId());
        }
        if (owner != null) {
          alive.get(owner).add(describe(i, facts.get(owner), now));
        }
      }
      Map<String, List<String>> notes = GuardNotes.of(runs, alive, region, timeout);
      alive.forEach(
          (id, list) -> out.put(id, new Liveness.Known(list, notes.getOrDefault(id, List.of()))));
    } catch (StepException e) {
      // a transient error's hint says that runctl retries, which a look does not
      Liveness.Unknown unknown =
          e.retryable() ? new Liveness.Unknown(e.getMessage()) : Liveness.failed(e);
      Liveness.Unknown named =
          unknown.cause().contains(where)
              ? unknown
              : new Liveness.Unknown("aws " + where + ": " + unknown.cause());
      facts.keySet().forEach(id -> out.put(id, named));
    }
    return out;
  }

  private static List<Instance> describe(
      Ec2Client ec2, String action, String filter, List<String> values) {
    List<Instance> out = new ArrayList<>();
    AwsErrors.run(
        action,
        () ->
            ec2.describeInstancesPaginator(
                    r ->
                        r.filters(
                            Filter.builder().name(filter).values(values).build(),
                            Filter.builder()
                                .name("instance-state-name")
                                .values(NOT_TERMINATED)
                                .build()))
                .reservations()
                .forEach(res -> out.addAll(res.instances())));
    return out;
  }

  /**
   * E.g. {@code i-0abc running (g5.xlarge spot, $0.30/h, up 2h13m, $0.67 so far)}: the state, type,
   * market, the price the run recorded, the time since launch and what that time cost.
   */
  static String describe(Instance i, RunFacts facts, Instant now) {
    StringBuilder s =
        new StringBuilder(i.instanceId()).append(' ').append(i.state().nameAsString());
    s.append(" (").append(i.instanceTypeAsString());
    s.append(i.instanceLifecycleAsString() == null ? " on-demand" : " spot");
    Optional<BigDecimal> price = facts.price(i.instanceId());
    price.ifPresent(p -> s.append(", $").append(p.toPlainString()).append("/h"));
    if (i.launchTime() != null) {
      Duration up = Duration.between(i.launchTime(), now);
      s.append(", up ").append(Readiness.human(up));
      price.ifPresent(
          p ->
              s.append(", $")
                  .append(RunFacts.costOf(p, up).setScale(2, RoundingMode.HALF_UP).toPlainString())
                  .append(" so far"));
    }
    return s.append(')').toString();
  }

  private static Optional<String> tag(Instance i, String key) {
    return i.tags().stream().filter(t -> key.equals(t.key())).map(Tag::value).findFirst();
  }

  private static List<List<String>> chunks(Set<String> values) {
    List<String> all = new ArrayList<>(new LinkedHashSet<>(values));
    List<List<String>> out = new ArrayList<>();
    for (int i = 0; i < all.size(); i += MAX_FILTER_VALUES) {
      out.add(all.subList(i, Math.min(all.size(), i + MAX_FILTER_VALUES)));
    }
    return out;
  }
}
