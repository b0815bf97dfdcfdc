package dev.runctl.targets.slurm;

import dev.runctl.engine.spi.StepException;
import dev.runctl.engine.spi.StepLog;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Provision on Slurm: reads the cluster with one {@code sinfo} (partitions, whether each is up, its
 * time limit, nodes, job size and generic resources) and checks that the settings fit it: the
 * partition exists and is up, it has the nodes asked for and allows that many per job, and its
 * nodes have the GPUs asked for. Holds no allocation.
 */
final class ClusterCheck {
  private static final Pattern GPUS = Pattern.compile("gpu(?::[^:,()]+)?:(\\d+)");
  private final SlurmCommands slurm;
  private final SlurmSettings settings;

  /** One partition as sinfo's lines (one per group of alike nodes) add up. */
  private static final class Partition {
    String avail = "";
    String timeLimit = "";
    String jobSize = "";
    int nodes;
    int gpus;
  }

  ClusterCheck(SlurmCommands slurm, SlurmSettings settings) {
    this.slurm = slurm;
    this.settings = settings;
  }

  /** Checks the cluster; what it found, for the log and the machine's description. */
  Map<String, String> check(StepLog log) throws InterruptedException {
    Map<String, Partition> partitions = new LinkedHashMap<>();
    String fallback = null;
    String out = slurm.output(List.of("sinfo", "-h", "-o", "%P|%a|%l|%D|%s|%G"));
    for (String line : out.split("\n")) {
      String[] f = line.strip().split("\\|", -1);
      if (f.length != 6) {
        continue;
      }
      String name = f[0].endsWith("*") ? f[0].substring(0, f[0].length() - 1) : f[0];
      if (f[0].endsWith("*")) {
        fallback = name;
      }
      Partition p = partitions.computeIfAbsent(name, k -> new Partition());
      p.avail = f[1];
      p.timeLimit = f[2];
      p.jobSize = f[4];
      p.nodes += number(f[3]);
      Matcher m = GPUS.matcher(f[5]);
      while (m.find()) {
        p.gpus = Math.max(p.gpus, number(m.group(1)));
      }
    }
    String name = settings.partition().orElse(fallback);
    Partition p = name == null ? null : partitions.get(name);
    if (p == null) {
      throw StepException.fatal(
          settings
              .partition()
              .map(s -> "the cluster has no partition '" + s + "'")
              .orElse("the cluster has no default partition"),
          "set the target's partition to one of: " + String.join(", ", partitions.keySet()));
    }
    if (!p.avail.equals("up")) {
      throw StepException.transientError(
          "partition " + name + " is " + p.avail + ", not up",
          "wait until the administrators bring it up, or choose another partition",
          null);
    }
    String maxPerJob =
        p.jobSize.contains("-") ? p.jobSize.substring(p.jobSize.indexOf('-') + 1) : p.jobSize;
    if (settings.nodes() > p.nodes
        || !maxPerJob.equals("infinite") && settings.nodes() > number(maxPerJob)) {
      throw StepException.fatal(
          "nodes: "
              + settings.nodes()
              + " does not fit partition "
              + name
              + " ("
              + p.nodes
              + " node(s), job size "
              + p.jobSize
              + ")",
          "lower nodes, or choose a larger partition");
    }
    int wanted = settings.gpusPerNode().orElse(0);
    if (wanted > p.gpus) {
      throw StepException.fatal(
          "gpus_per_node: "
              + wanted
              + " but partition "
              + name
              + "'s nodes have at most "
              + p.gpus
              + " GPU(s)",
          "lower gpus_per_node, or choose a GPU partition");
    }
    Map<String, String> found = new LinkedHashMap<>();
    found.put("partition", name);
    found.put("nodes", Integer.toString(p.nodes));
    found.put("max_time", p.timeLimit);
    found.put("gpus_per_node", Integer.toString(p.gpus));
    log.line(
        "partition "
            + name
            + " is up: "
            + p.nodes
            + " node(s), max time "
            + p.timeLimit
            + ", up to "
            + p.gpus
            + " GPU(s) per node"
            + (settings.holdAllocation() ? "" : "; no allocation held"));
    return found;
  }

  private static int number(String s) {
    try {
      return Integer.parseInt(s.strip());
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
