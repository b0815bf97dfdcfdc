package dev.runctl.targets.slurm;

import dev.runctl.engine.spi.StepException;
import dev.runctl.engine.spi.StepLog;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Provision on Slurm: reads the cluster with one {@code sinfo} (partitions, whether each is up, its
 * time limit, nodes, job size and generic resources) and checks that the settings fit it: the
 * partition exists and is up, it has the nodes asked for and allows that many per job, and its
 * nodes have the GPUs asked for. Holds no allocation.
 */
final class ClusterCheck {
  private final SlurmCommands slurm;
  private final SlurmSettings settings;

  ClusterCheck(SlurmCommands slurm, SlurmSettings settings) {
    this.slurm = slurm;
    this.settings = settings;
  }

  /** Checks the cluster; what it found, for the log and the machine's description. */
  Map<String, String> check(StepLog log) throws InterruptedException {
    Partitions partitions = Partitions.read(slurm);
    String name = partitions.chosen(settings).orElse(null);
    Partitions.Partition p = name == null ? null : partitions.byName().get(name);
    if (p == null) {
      throw StepException.fatal(
          settings
              .partition()
              .map(s -> "the cluster has no partition '" + s + "'")
              .orElse("the cluster has no default partition"),
          "set the target's partition to one of: " + partitions.list());
    }
    if (!p.avail().equals("up")) {
      throw StepException.transientError(
          "partition " + name + " is " + p.avail() + ", not up",
          "wait until the administrators bring it up, or choose another partition",
          null);
    }
    if (settings.nodes() > p.nodes() || settings.nodes() > p.maxPerJob()) {
      throw StepException.fatal(
          "nodes: "
              + settings.nodes()
              + " does not fit partition "
              + name
              + " ("
              + p.nodes()
              + " node(s), job size "
              + p.jobSize()
              + ")",
          "lower nodes, or choose a larger partition");
    }
    int wanted = settings.gpusPerNode().orElse(0);
    if (wanted > p.gpus()) {
      throw StepException.fatal(
          "gpus_per_node: "
              + wanted
              + " but partition "
              + name
              + "'s nodes have at most "
              + p.gpus()
              + " GPU(s)",
          "lower gpus_per_node, or choose a GPU partition");
    }
    Map<String, String> found = new LinkedHashMap<>();
    found.put("partition", name);
    found.put("nodes", Integer.toString(p.nodes()));
    found.put("max_time", p.timeLimit());
    found.put("gpus_per_node", Integer.toString(p.gpus()));
    log.line(
        "partition "
            + name
            + " is up: "
            + p.nodes()
            + " node(s), max time "
            + p.timeLimit()
            + ", up to "
            + p.gpus()
            + " GPU(s) per node"
            + (settings.holdAllocation() ? "" : "; no allocation held"));
    return found;
  }
}
