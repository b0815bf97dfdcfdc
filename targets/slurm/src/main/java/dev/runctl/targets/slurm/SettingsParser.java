package dev.runctl.targets.slurm;

import dev.runctl.engine.spi.ConfigNode.Mapping;
import dev.runctl.engine.spi.Diagnostics;
import dev.runctl.engine.spi.SettingsReader;
import dev.runctl.targets.ssh.SshConfig;
import java.nio.file.Path;
import java.time.Duration;
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
  private final Diagnostics d;

  SettingsParser(Diagnostics diagnostics) {
    this.d = diagnostics;
  }

  SlurmSettings parse(Mapping m) {
    SettingsReader read = new SettingsReader(m, d, "the slurm target", m.position()).onlyKeys(KEYS);
    Optional<Integer> gpus = read.integer("gpus_per_node", 0, 1024);
    Optional<String> gres = name(read, "gres", "gpu:a100:4");
    read.check(
        gpus.isEmpty() || gres.isEmpty(),
        "gres",
        "set gpus_per_node or gres, not both",
        "gpus_per_node: 4 asks for any 4 GPUs per node; gres: gpu:a100:4 names their type");
    read.check(
        !read.bool("hold_allocation", false) || !read.bool("continue_past_time_limit", false),
        "hold_allocation",
        "hold_allocation and continue_past_time_limit do not go together: a held allocation ends"
            + " at its own time limit, with the steps in it",
        "drop hold_allocation to let each time-limit segment be a batch job of its own");
    Optional<SshConfig> login = read.mapping("login").map(l -> login(l, m));
    Optional<String> mem = read.string("mem");
    read.check(
        mem.isEmpty() || mem.get().matches("\\d+[KMGT]?"),
        "mem",
        "mem '" + mem.orElse("") + "' is not a memory size",
        "e.g. 32G or 500M");
    Optional<String> launcher = read.string("launcher");
    read.check(
        launcher.isEmpty() || launcher.get().equals("torchrun"),
        "launcher",
        "launcher '" + launcher.orElse("") + "' is not known",
        "write launcher: torchrun, or leave it out to start the script itself on every node");
    return new SlurmSettings(
        name(read, "partition", "gpu"),
        name(read, "account", "my-lab"),
        name(read, "qos", "normal"),
        gpus,
        gres,
        read.integer("cpus_per_task", 1, 4096),
        mem.filter(v -> v.matches("\\d+[KMGT]?")),
        read.integer("nodes", 1, 100_000).orElse(1),
        read.string("constraint"),
        read.stringList("extra_sbatch"),
        read.string("workdir"),
        read.bool("continue_past_time_limit", false),
        launcher.filter("torchrun"::equals).isPresent()
            ? SlurmSettings.Launcher.TORCHRUN
            : SlurmSettings.Launcher.DIRECT,
        read.duration("signal_grace").orElse(Duration.ofMinutes(2)),
        read.bool("hold_allocation", false),
        login);
  }

  /**
   * {@code login: {ssh: host, user, port, identity_file, ssh_config}}: the login node, reached with
   * the ssh target's transport; what is left out is OpenSSH's to choose (~/.ssh/config).
   */
  private SshConfig login(Mapping l, Mapping target) {
    SettingsReader read =
        new SettingsReader(l, d, "the slurm target's login", target.keyPosition("login"))
            .onlyKeys(List.of("ssh", "user", "port", "identity_file", "ssh_config"));
    String host = read.required("ssh", "the login node: a name from ~/.ssh/config or an address");
    Optional<String> user = read.string("user");
    int at = host.lastIndexOf('@');
    if (at > 0 && user.isEmpty()) {
      user = Optional.of(host.substring(0, at));
      host = host.substring(at + 1);
    }
    read.check(
        !host.startsWith("-"),
        "ssh",
        "login host '" + host + "' starts with a dash",
        "name a host");
    Path specDir = Path.of(l.position().file()).toAbsolutePath().getParent();
    return new SshConfig(
        host,
        user,
        read.integer("port", 1, 65535),
        read.string("identity_file").map(f -> local(specDir, f)),
        read.string("ssh_config").map(f -> local(specDir, f)),
        Optional.empty(),
        "python3",
        SshConfig.DEFAULT_RECONNECT);
  }

  private static Path local(Path specDir, String file) {
    if (file.startsWith("~/")) {
      return Path.of(System.getProperty("user.home"), file.substring(2));
    }
    return (specDir == null ? Path.of("") : specDir).resolve(file).toAbsolutePath().normalize();
  }

  private static Optional<String> name(SettingsReader read, String key, String example) {
    return read.matching(key, SlurmSettingsSchema.NAME, "a Slurm name", "e.g. " + example);
  }
}
