package dev.runctl.targets.slurm;

import dev.runctl.engine.spi.StepException;
import dev.runctl.engine.spi.TargetCheck;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code runctl plan --check} for slurm, read-only: {@code sinfo} (the partitions, up or not, their
 * nodes and GPUs), {@code scontrol show partition} (the accounts and qos it allows), and {@code
 * sacctmgr} (the user's accounts) when the cluster keeps accounting. Each problem says what exists.
 */
final class SlurmChecks {
  private final SlurmCommands slurm;
  private final SlurmSettings settings;

  SlurmChecks(SlurmCommands slurm, SlurmSettings settings) {
    this.slurm = slurm;
    this.settings = settings;
  }

  List<TargetCheck> run() throws InterruptedException {
    List<TargetCheck> out = new ArrayList<>();
    Partitions parts;
    try {
      parts = Partitions.read(slurm);
    } catch (StepException e) {
      out.add(TargetCheck.failed("cluster", e.getMessage(), e.hint().orElse("see the message")));
      return out;
    }
    out.add(TargetCheck.ok("cluster", "partitions: " + parts.list()));
    Optional<String> name = parts.chosen(settings);
    Partitions.Partition p = name.map(parts.byName()::get).orElse(null);
    if (p == null) {
      out.add(
          TargetCheck.failed(
              "partition",
              name.map(n -> "the cluster has no partition '" + n + "'")
                  .orElse("the cluster has no default partition"),
              "set partition: to one of " + String.join(", ", parts.byName().keySet())));
      return out;
    }
    out.add(
        p.avail().equals("up")
            ? TargetCheck.ok("partition", name.get() + " is up, max time " + p.timeLimit())
            : TargetCheck.failed(
                "partition",
                name.get() + " is " + p.avail() + ", not up",
                "wait until it is up, or choose another: " + parts.list()));
    boolean fits = settings.nodes() <= p.nodes() && settings.nodes() <= p.maxPerJob();
    String nodes = settings.nodes() + " of " + p.nodes() + " node(s), job size " + p.jobSize();
    out.add(
        fits
            ? TargetCheck.ok("nodes", nodes)
            : TargetCheck.failed("nodes", nodes, "lower nodes, or choose a larger partition"));
    int gpus = settings.gpusPerNode().orElse(0);
    String gpuText = gpus + " per node asked, " + name.get() + "'s nodes have up to " + p.gpus();
    out.add(
        gpus <= p.gpus()
            ? TargetCheck.ok("gpus", gpuText)
            : TargetCheck.failed(
                "gpus", gpuText, "lower gpus_per_node, or " + gpuPartitions(parts)));
    Optional<String> show = partitionLine(name.get());
    settings.account().ifPresent(a -> out.add(account(a, name.get(), show)));
    settings
        .qos()
        .ifPresent(q -> out.add(allowed("qos", q, name.get(), show, "AllowQos", "DenyQos")));
    return out;
  }

  private static String gpuPartitions(Partitions parts) {
    List<String> with = new ArrayList<>();
    parts
        .byName()
        .forEach(
            (n, q) -> {
              if (q.gpus() > 0) {
                with.add(n + " (" + q.gpus() + ")");
              }
            });
    return with.isEmpty()
        ? "run on the CPU: no partition of this cluster has GPUs"
        : "choose a partition with GPUs: " + String.join(", ", with);
  }

  private Optional<String> partitionLine(String name) throws InterruptedException {
    SlurmCommands.Result r = slurm.run(List.of("scontrol", "show", "partition", "-o", name));
    return r.ok() ? Optional.of(r.stdout().strip()) : Optional.empty();
  }

  /** The account against the user's associations (with accounting) and the partition's lists. */
  private TargetCheck account(String account, String partition, Optional<String> show) {
    TargetCheck byPartition =
        allowed("account", account, partition, show, "AllowAccounts", "DenyAccounts");
    if (!byPartition.ok()) {
      return byPartition;
    }
    try {
      SlurmCommands.Result r =
          slurm.run(
              List.of(
                  "sacctmgr",
                  "-n",
                  "-P",
                  "show",
                  "associations",
                  "where",
                  "user=" + System.getProperty("user.name"),
                  "format=account"));
      if (r.ok() && !r.stdout().isBlank()) {
        List<String> mine = r.stdout().lines().map(String::strip).distinct().toList();
        return mine.contains(account)
            ? TargetCheck.ok(
                "account", account + " (one of yours: " + String.join(", ", mine) + ")")
            : TargetCheck.failed(
                "account",
                "you have no association with account '" + account + "'",
                "set account: to one of yours: " + String.join(", ", mine));
      }
    } catch (StepException | InterruptedException e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
    }
    return byPartition; // no accounting: the partition's lists are all Slurm checks
  }

  /** {@code value} against the partition's {@code Allow...}/{@code Deny...} lists. */
  private static TargetCheck allowed(
      String what,
      String value,
      String partition,
      Optional<String> show,
      String allow,
      String deny) {
    if (show.isEmpty()) {
      return TargetCheck.ok(what, value + " (partition " + partition + "'s lists unreadable)");
    }
    Optional<List<String>> allowList = list(show.get(), allow);
    Optional<List<String>> denyList = list(show.get(), deny);
    if (allowList.isPresent()
        && !allowList.get().contains("ALL")
        && !allowList.get().contains(value)) {
      return TargetCheck.failed(
          what,
          "partition " + partition + " does not allow " + what + " '" + value + "'",
          "set " + what + ": to one it allows: " + String.join(", ", allowList.get()));
    }
    if (denyList.isPresent() && denyList.get().contains(value)) {
      return TargetCheck.failed(
          what,
          "partition " + partition + " denies " + what + " '" + value + "'",
          "use another " + what + " (denied there: " + String.join(", ", denyList.get()) + ")");
    }
    return TargetCheck.ok(
        what,
        value
            + " (partition "
            + partition
            + " allows "
            + allowList
                .map(l -> String.join(", ", l))
                .orElse("all but " + denyList.map(l -> String.join(", ", l)).orElse("none"))
            + ")");
  }

  private static Optional<List<String>> list(String line, String key) {
    Matcher m = Pattern.compile("(?:^|\\s)" + key + "=(\\S+)").matcher(line);
    return m.find() ? Optional.of(Arrays.asList(m.group(1).split(","))) : Optional.empty();
  }
}
