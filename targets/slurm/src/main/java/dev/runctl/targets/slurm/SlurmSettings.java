package dev.runctl.targets.slurm;

import dev.runctl.engine.spi.Durations;
import dev.runctl.engine.spi.TargetConfig;
import dev.runctl.targets.ssh.SshConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code target:} settings of {@code provider: slurm}. {@code workdir} empty means {@code
 * ~/runctl/<job>}; {@code signalGrace} is how long before the time limit the batch script is sent
 * {@code SIGUSR1}; {@code login} present: the Slurm commands and the workdir are on that login
 * node, reached with ssh.
 */
public record SlurmSettings(
    Optional<String> partition,
    Optional<String> account,
    Optional<String> qos,
    Optional<Integer> gpusPerNode,
    Optional<String> gres,
    Optional<Integer> cpusPerTask,
    Optional<String> mem,
    int nodes,
    Optional<String> constraint,
    List<String> extraSbatch,
    Optional<String> workdir,
    boolean continuePastTimeLimit,
    Launcher launcher,
    Duration signalGrace,
    boolean holdAllocation,
    Optional<SshConfig> login)
    implements TargetConfig {

  /** How each node starts the training command. */
  public enum Launcher {
    /** The command itself, one task per node. */
    DIRECT,
    /** {@code python -m torch.distributed.run} with the nodes' rendezvous, one per node. */
    TORCHRUN
  }

  public SlurmSettings {
    extraSbatch = List.copyOf(extraSbatch);
  }

  /** The sbatch options these settings ask for (without --time and the per-job ones). */
  List<String> resourceOptions() {
    List<String> out = new ArrayList<>();
    partition.ifPresent(p -> out.add("--partition=" + p));
    account.ifPresent(a -> out.add("--account=" + a));
    qos.ifPresent(q -> out.add("--qos=" + q));
    gpusPerNode.ifPresent(g -> out.add("--gpus-per-node=" + g));
    gres.ifPresent(g -> out.add("--gres=" + g));
    cpusPerTask.ifPresent(c -> out.add("--cpus-per-task=" + c));
    mem.ifPresent(m -> out.add("--mem=" + m));
    constraint.ifPresent(c -> out.add("--constraint=" + c));
    out.add("--nodes=" + nodes);
    out.add("--ntasks-per-node=1");
    return out;
  }

  @Override
  public Map<String, String> describe() {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("partition", partition.orElse("(the cluster's default)"));
    account.ifPresent(a -> d.put("account", a));
    qos.ifPresent(q -> d.put("qos", q));
    gpusPerNode.ifPresent(g -> d.put("gpus_per_node", g.toString()));
    gres.ifPresent(g -> d.put("gres", g));
    cpusPerTask.ifPresent(c -> d.put("cpus_per_task", c.toString()));
    mem.ifPresent(m -> d.put("mem", m));
    d.put("nodes", Integer.toString(nodes));
    constraint.ifPresent(c -> d.put("constraint", c));
    if (!extraSbatch.isEmpty()) {
      d.put("extra_sbatch", String.join(" ", extraSbatch));
    }
    d.put("workdir", workdir.orElse("~/runctl/<job>"));
    d.put("continue_past_time_limit", Boolean.toString(continuePastTimeLimit));
    d.put("launcher", launcher == Launcher.TORCHRUN ? "torchrun" : "(the script on every node)");
    d.put("signal_grace", Durations.format(signalGrace));
    d.put("hold_allocation", Boolean.toString(holdAllocation));
    d.put(
        "commands",
        login
            .map(l -> "on " + l.host() + " over ssh (sbatch, squeue, scontrol)")
            .orElse("run here (sbatch, squeue, scontrol)"));
    return d;
  }
}
