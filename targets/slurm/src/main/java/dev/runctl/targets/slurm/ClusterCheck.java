package dev.runctl.targets.slurm;

import dev.runctl.engine.spi.StepException;
import dev.runctl.engine.spi.StepLog;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Provision on Slurm: reads the cluster ({@code sinfo}, {@code scontrol show partition}) and checks
 * that the settings fit it: the partition exists and is up, it has the nodes asked for, and its
 * nodes have the GPUs asked for. Holds no allocation.
 */
final class ClusterCheck {
  private static final Pattern GPUS = Pattern.compile("gpu(?::[^:,()]+)?:(\\d+)");
  private final SlurmCommands slurm;
  private final SlurmSettings settings;

  ClusterCheck(SlurmCommands slurm, SlurmSettings settings) {
    this.slurm = slurm;
    this.settings = settings;
  }

  /** Checks the cluster; what it found, for the log and the machine's description. */
  Map<String, String> check(StepLog log) throws InterruptedException {
    List<String> partitions = new ArrayList<>();
    String fallback = null;
    for (String p : slurm.output(List.of("sinfo", "-h", "-o", "%P")).split("\\s+")) {
      if (p.isBlank()) {
        continue;
      }
      String name = p.endsWith("*") ? p.substring(0, p.length() - 1) : p;
      partitions.add(name);
      if (p.endsWith("*")) {
        fallback = name;
      }
    }
    String partition = settings.partition().orElse(fallback);
    if (partition == null || !partitions.contains(partition)) {
      throw StepException.fatal(
          settings
              .partition()
              .map(p -> "the cluster has no partition '" + p + "'")
              .orElse("the cluster has no default partition"),
          "set the target's partition to one of: " + String.join(", ", partitions));
    }
    String line = slurm.output(List.of("scontrol", "show", "partition", partition, "-o")).strip();
    String state = field(line, "State").orElse("UNKNOWN");
    if (!state.equals("UP")) {
      throw StepException.transientError(
          "partition " + partition + " is " + state + ", not UP",
          "wait until the administrators bring it up, or choose another partition",
          null);
    }
    int total = number(field(line, "TotalNodes").orElse("0"));
    String maxNodes = field(line, "MaxNodes").orElse("UNLIMITED");
    if (settings.nodes() > total
        || !maxNodes.equals("UNLIMITED") && settings.nodes() > number(maxNodes)) {
      throw StepException.fatal(
          "nodes: "
              + settings.nodes()
              + " does not fit partition "
              + partition
              + " ("
              + total
              + " node(s), at most "
              + maxNodes.toLowerCase()
              + " per job)",
          "lower nodes, or choose a larger partition");
    }
    int gpus = maxGpusPerNode(partition);
    int wanted = settings.gpusPerNode().orElse(0);
    if (wanted > gpus) {
      throw StepException.fatal(
          "gpus_per_node: "
              + wanted
              + " but partition "
              + partition
              + "'s nodes have at most "
              + gpus
              + " GPU(s)",
          "lower gpus_per_node, or choose a GPU partition");
    }
    Map<String, String> found = new LinkedHashMap<>();
    found.put("partition", partition);
    found.put("state", state);
    found.put("nodes", Integer.toString(total));
    found.put("max_time", field(line, "MaxTime").orElse("UNLIMITED"));
    found.put("gpus_per_node", Integer.toString(gpus));
    log.line(
        "partition "
            + partition
            + " is up: "
            + total
            + " node(s), max time "
            + found.get("max_time")
            + ", up to "
            + gpus
            + " GPU(s) per node; no allocation held");
    return found;
  }

  private int maxGpusPerNode(String partition) throws InterruptedException {
    int max = 0;
    for (String gres :
        slurm.output(List.of("sinfo", "-h", "-p", partition, "-o", "%G")).split("\\s+")) {
      Matcher m = GPUS.matcher(gres);
      while (m.find()) {
        max = Math.max(max, number(m.group(1)));
      }
    }
    return max;
  }

  private static Optional<String> field(String line, String key) {
    Matcher m = Pattern.compile("(?:^|\\s)" + key + "=(\\S*)").matcher(line);
    return m.find() ? Optional.of(m.group(1)) : Optional.empty();
  }

  private static int number(String s) {
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
