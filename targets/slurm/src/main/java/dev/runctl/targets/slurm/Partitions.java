package dev.runctl.targets.slurm;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The cluster's partitions as one {@code sinfo} lists them (one line per group of alike nodes,
 * added up): whether each is up, its time limit, nodes, job size and the most GPUs a node has.
 */
record Partitions(Map<String, Partitions.Partition> byName, Optional<String> fallback) {
  private static final Pattern GPUS = Pattern.compile("gpu(?::[^:,()]+)?:(\\d+)");

  /** One partition. */
  record Partition(String avail, String timeLimit, String jobSize, int nodes, int gpus) {
    /** The most nodes one job may have, or MAX_VALUE. */
    int maxPerJob() {
      String max = jobSize.contains("-") ? jobSize.substring(jobSize.indexOf('-') + 1) : jobSize;
      return max.equals("infinite") ? Integer.MAX_VALUE : number(max);
    }
  }

  static Partitions read(SlurmCommands slurm) throws InterruptedException {
    return parse(slurm.output(List.of("sinfo", "-h", "-o", "%P|%a|%l|%D|%s|%G")));
  }

  static Partitions parse(String sinfo) {
    Map<String, Partition> partitions = new LinkedHashMap<>();
    String fallback = null;
    for (String line : sinfo.split("\n")) {
      String[] f = line.strip().split("\\|", -1);
      if (f.length != 6) {
        continue;
      }
      String name = f[0].endsWith("*") ? f[0].substring(0, f[0].length() - 1) : f[0];
      if (f[0].endsWith("*")) {
        fallback = name;
      }
      int gpus = 0;
      Matcher m = GPUS.matcher(f[5]);
      while (m.find()) {
        gpus = Math.max(gpus, number(m.group(1)));
      }
      Partition before = partitions.get(name);
      int nodes = number(f[3]) + (before == null ? 0 : before.nodes());
      gpus = Math.max(gpus, before == null ? 0 : before.gpus());
      partitions.put(name, new Partition(f[1], f[2], f[4], nodes, gpus));
    }
    return new Partitions(partitions, Optional.ofNullable(fallback));
  }

  /** The partition the settings name, else the default; empty when there is no such one. */
  Optional<String> chosen(SlurmSettings settings) {
    return settings.partition().or(() -> fallback);
  }

  /** "debug (default, up, 2 nodes, 0 GPUs per node), gpu (...)": what exists, for messages. */
  String list() {
    StringBuilder b = new StringBuilder();
    byName.forEach(
        (name, p) -> {
          b.append(b.length() == 0 ? "" : ", ").append(name).append(" (");
          if (fallback.filter(name::equals).isPresent()) {
            b.append("default, ");
          }
          b.append(p.avail()).append(", ").append(p.nodes()).append(" node(s), ");
          b.append(p.gpus()).append(" GPU(s) per node)");
        });
    return b.length() == 0 ? "none" : b.toString();
  }

  static int number(String s) {
    try {
      return Integer.parseInt(s.strip());
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
