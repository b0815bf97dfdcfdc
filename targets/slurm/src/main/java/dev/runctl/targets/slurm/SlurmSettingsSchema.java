package dev.runctl.targets.slurm;

import dev.runctl.engine.spi.SettingsSchema;

/** What {@code target:} with {@code provider: slurm} takes, composed into the job schema. */
public final class SlurmSettingsSchema {
  /** A Slurm name: a partition, account, qos or gres. */
  static final String NAME = "[A-Za-z0-9_.:+-]+";

  public static final SettingsSchema SCHEMA =
      SettingsSchema.of(
              """
        {
          "description": "slurm: an existing Slurm cluster, from its login node (this machine, or one reached with ssh). Settings of `target:` when `provider: slurm`.",
          "type": "object",
          "additionalProperties": false,
          "properties": {
            "partition": {
              "description": "the partition to submit to (default: the cluster's default partition).",
              "type": "string",
              "pattern": "^NAME$"
            },
            "account": {
              "description": "the account to charge (sbatch --account).",
              "type": "string",
              "pattern": "^NAME$"
            },
            "qos": {
              "description": "the quality of service (sbatch --qos).",
              "type": "string",
              "pattern": "^NAME$"
            },
            "gpus_per_node": {
              "description": "GPUs per node (sbatch --gpus-per-node); or gres, not both.",
              "type": "integer",
              "minimum": 0
            },
            "gres": {
              "description": "generic resources per node, e.g. gpu:a100:4 (sbatch --gres).",
              "type": "string",
              "pattern": "^NAME$"
            },
            "cpus_per_task": {
              "description": "CPUs for each node's task (sbatch --cpus-per-task).",
              "type": "integer",
              "minimum": 1
            },
            "mem": {
              "description": "memory per node, e.g. 32G (sbatch --mem).",
              "type": ["string", "integer"]
            },
            "nodes": {
              "description": "nodes for the training, one task each (default 1).",
              "type": "integer",
              "minimum": 1
            },
            "constraint": {
              "description": "node features required (sbatch --constraint).",
              "type": "string",
              "minLength": 1
            },
            "extra_sbatch": {
              "$ref": "#/$defs/stringList",
              "description": "more sbatch options, each item one argument, given last, e.g. [\\"--time=04:00:00\\"]."
            },
            "workdir": {
              "description": "the job's folder on the cluster's shared filesystem (default ~/runctl/<name>).",
              "type": "string",
              "minLength": 1
            },
            "hold_allocation": {
              "description": "provision takes an allocation (a holder job) that the steps until teardown run in with srun; released at teardown and cancel. Default false: train submits its own batch job.",
              "type": "boolean"
            },
            "continue_past_time_limit": {
              "description": "submit a training stopped at its time limit after checkpointing again, from its checkpoint, while the budget allows.",
              "type": "boolean"
            },
            "launcher": {
              "description": "torchrun: each node runs the script under torch.distributed.run; absent: the script itself on every node.",
              "enum": ["torchrun"]
            },
            "signal_grace": {
              "$ref": "#/$defs/duration",
              "description": "how long before the time limit the batch script gets SIGUSR1 (checkpoint now). Default 2m."
            },
            "login": {
              "description": "the cluster's login node, reached with ssh: the Slurm commands, sync, deps and the workdir's files run there. Absent: on this machine.",
              "type": "object",
              "additionalProperties": false,
              "required": ["ssh"],
              "properties": {
                "ssh": {"description": "the login node: a name from ~/.ssh/config or an address (user@host works too).", "type": "string", "minLength": 1},
                "user": {"description": "the login name (default: from ~/.ssh/config).", "type": "string", "minLength": 1},
                "port": {"description": "the port (default: from ~/.ssh/config, else 22).", "type": "integer", "minimum": 1, "maximum": 65535},
                "identity_file": {"description": "a private key file, as ssh -i takes it; relative to the spec.", "type": "string", "minLength": 1},
                "ssh_config": {"description": "a config file used instead of ~/.ssh/config (ssh -F), relative to the spec.", "type": "string", "minLength": 1}
              }
            }
          }
        }
          """
                  .replace("NAME", NAME))
          .whenMalformed("partition", "'%s' is not a Slurm partition name", "e.g. partition: gpu")
          .whenMalformed("account", "'%s' is not a Slurm account name", "e.g. account: my-lab")
          .whenMalformed("qos", "'%s' is not a Slurm qos name", "e.g. qos: normal")
          .whenMalformed("gres", "'%s' is not a gres", "e.g. gres: gpu:a100:4");

  private SlurmSettingsSchema() {}
}
