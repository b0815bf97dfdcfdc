package dev.runctl.targets.slurm;

import dev.runctl.engine.spec.ConfigNode;
import dev.runctl.engine.spec.ConfigNode.Mapping;
import dev.runctl.engine.spec.ConfigNode.Scalar;
import dev.runctl.engine.spec.ConfigNode.Seq;
import dev.runctl.engine.spec.Diagnostics;
import dev.runctl.engine.spec.Durations;
import dev.runctl.engine.spec.Position;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Reads and checks the slurm {@code target:} mapping; every problem names its line and column. */
final class SettingsParser {
  static final Set<String> KEYS =
      Set.of(
          "provider",
          "partition",
          "account",
          "qos",
          "gpus_per_node",
          "gres",
          "cpus_per_task",
          "mem",
          "nodes",
          "constraint",
          "extra_sbatch",
          "workdir",
          "hold_allocation",
          "continue_past_time_limit",
          "launcher",
          "signal_grace",
          "login");
  private static final String NAME = "[A-Za-z0-9_.:+-]+";
  private final Diagnostics d;

  SettingsParser(Diagnostics diagnostics) {
    this.d = diagnostics;
  }

  SlurmSettings parse(Mapping m) {
    m.keys()
        .forEach(
            (key, at) -> {
              if (!KEYS.contains(key)) {
                d.error(
                    at,
                    "the slurm target has no setting '" + key + "'",
                    "its settings are " + String.join(", ", KEYS.stream().sorted().toList()));
              }
            });
    Optional<Integer> gpus = integer(m, "gpus_per_node", 0, 1024);
    Optional<String> gres = name(m, "gres", "gpu:a100:4");
    if (gpus.isPresent() && gres.isPresent()) {
      d.error(
          at(m, "gres"),
          "set gpus_per_node or gres, not both",
          "gpus_per_node: 4 asks for any 4 GPUs per node; gres: gpu:a100:4 names their type");
    }
    if (bool(m, "hold_allocation")) {
      d.error(
          at(m, "hold_allocation"),
          "hold_allocation is not supported yet: the slurm target holds no allocation between"
              + " steps",
          "remove it; provision only checks the cluster and train submits its own batch job");
    }
    m.get("login")
        .ifPresent(
            login ->
                d.error(
                    login.position(),
                    "login is not supported yet: the slurm target runs sbatch, squeue and scontrol"
                        + " on this machine",
                    "run runctl on the cluster's login node and remove login:"));
    return new SlurmSettings(
        name(m, "partition", "gpu"),
        name(m, "account", "my-lab"),
        name(m, "qos", "normal"),
        gpus,
        gres,
        integer(m, "cpus_per_task", 1, 4096),
        memory(m),
        integer(m, "nodes", 1, 100_000).orElse(1),
        string(m, "constraint"),
        strings(m, "extra_sbatch"),
        string(m, "workdir"),
        bool(m, "continue_past_time_limit"),
        launcher(m),
        duration(m, "signal_grace").orElse(Duration.ofMinutes(2)));
  }

  private SlurmSettings.Launcher launcher(Mapping m) {
    Optional<String> v = string(m, "launcher");
    if (v.isEmpty()) {
      return SlurmSettings.Launcher.DIRECT;
    }
    if (v.get().equals("torchrun")) {
      return SlurmSettings.Launcher.TORCHRUN;
    }
    d.error(
        at(m, "launcher"),
        "launcher '" + v.get() + "' is not known",
        "write launcher: torchrun, or leave it out to start the script itself on every node");
    return SlurmSettings.Launcher.DIRECT;
  }

  private Optional<String> memory(Mapping m) {
    Optional<String> v = string(m, "mem");
    if (v.isPresent() && !v.get().matches("\\d+[KMGT]?")) {
      d.error(at(m, "mem"), "mem '" + v.get() + "' is not a memory size", "e.g. 32G or 500M");
      return Optional.empty();
    }
    return v;
  }

  private Optional<Duration> duration(Mapping m, String key) {
    Optional<String> v = string(m, key);
    if (v.isEmpty()) {
      return Optional.empty();
    }
    Optional<Duration> parsed = Durations.parse(v.get());
    if (parsed.isEmpty()) {
      d.error(at(m, key), key + " '" + v.get() + "' is not a duration", Durations.HINT);
    }
    return parsed;
  }

  private Optional<Integer> integer(Mapping m, String key, int min, int max) {
    Optional<String> v = string(m, key);
    if (v.isEmpty()) {
      return Optional.empty();
    }
    try {
      int n = Integer.parseInt(v.get());
      if (n >= min && n <= max) {
        return Optional.of(n);
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    d.error(
        at(m, key),
        key + " '" + v.get() + "' must be a whole number",
        "from " + min + " to " + max);
    return Optional.empty();
  }

  private boolean bool(Mapping m, String key) {
    Optional<String> v = string(m, key);
    if (v.isPresent() && !v.get().equals("true") && !v.get().equals("false")) {
      d.error(at(m, key), key + " must be true or false", null);
    }
    return v.map("true"::equals).orElse(false);
  }

  private Optional<String> name(Mapping m, String key, String example) {
    Optional<String> v = string(m, key);
    if (v.isPresent() && !v.get().matches(NAME)) {
      d.error(at(m, key), key + " '" + v.get() + "' is not a Slurm name", "e.g. " + example);
      return Optional.empty();
    }
    return v;
  }

  private List<String> strings(Mapping m, String key) {
    List<String> out = new ArrayList<>();
    Optional<ConfigNode> node = m.get(key);
    if (node.isEmpty()) {
      return out;
    }
    if (!(node.get() instanceof Seq seq)) {
      d.error(
          node.get().position(),
          key + " must be a list, each item one sbatch argument",
          "e.g. [\"--exclusive\", \"--time=04:00:00\"]");
      return out;
    }
    for (ConfigNode item : seq.items()) {
      if (item instanceof Scalar s && s.kind() != ConfigNode.Kind.NULL) {
        out.add(s.value());
      } else {
        d.error(item.position(), key + " items must be single values", null);
      }
    }
    return out;
  }

  private Optional<String> string(Mapping m, String key) {
    Optional<ConfigNode> node = m.get(key);
    if (node.isEmpty() || node.get() instanceof Scalar s && s.kind() == ConfigNode.Kind.NULL) {
      return Optional.empty();
    }
    if (node.get() instanceof Scalar s) {
      return Optional.of(s.value());
    }
    d.error(node.get().position(), key + " must be a single value", null);
    return Optional.empty();
  }

  private static Position at(Mapping m, String key) {
    return m.get(key).map(ConfigNode::position).orElse(m.position());
  }
}
