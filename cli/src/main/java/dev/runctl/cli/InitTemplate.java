package dev.runctl.cli;

import java.nio.file.Path;
import java.util.Locale;

/** The text of the job.yaml that {@code runctl init} writes. */
final class InitTemplate {
  /** The targets init has a block for. */
  enum Provider {
    LOCAL,
    AWS,
    SSH,
    SLURM;

    String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final ProjectScan scan;
  private final Provider provider;
  private final String name;

  InitTemplate(ProjectScan scan, Provider provider, Path folderName) {
    this.scan = scan;
    this.provider = provider;
    this.name = jobName(folderName == null ? "" : folderName.toString());
  }

  /** The folder's name made a valid job name (lower case, digits and '-'), or "job". */
  static String jobName(String folder) {
    String n =
        folder.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]+", "-").replaceAll("^-+|-+$", "");
    n = n.length() > 40 ? n.substring(0, 40).replaceAll("-+$", "") : n;
    return n.isEmpty() ? "job" : n;
  }

  String render() {
    StringBuilder b = new StringBuilder();
    b.append("# yaml-language-server: $schema=.runctl/job.schema.json\n")
        .append("#\n")
        .append("# Written by `runctl init`. Check it with `runctl plan job.yaml`, run it with\n")
        .append("# `runctl apply job.yaml`. Every key is described in the schema (hover in an\n")
        .append("# editor) and in runctl's docs/spec.md.\n")
        .append("version: 1\n")
        .append("name: ")
        .append(name)
        .append("                 # part of every run id\n")
        .append("workdir: .                     # the project folder, relative to this file\n");
    target(b);
    b.append("steps:\n")
        .append("  - id: provision                 # a machine (or a workspace) to run on\n")
        .append("    uses: provision\n")
        .append("  - id: sync                      # copy the workdir there, incrementally\n")
        .append("    uses: sync\n")
        .append("    with:\n");
    if (scan.gitignore()) {
      b.append(
              "      # what .gitignore lists is left out as well; plan says when that leaves out a\n")
          .append("      # file a step names or a large folder. Sync one anyway with, e.g.:\n")
          .append("      # include: [\"/data/small/\"]\n");
    }
    b.append("      exclude: [\".git/\", \".runctl/\", \"**/__pycache__/\", \"checkpoints/\"]\n");
    deps(b);
    b.append("  - id: train\n")
        .append("    uses: train\n")
        .append("    retry: {max_attempts: 3, on: [interruption, timeout]}\n")
        .append("    with:\n")
        .append("      script: ")
        .append(scan.script())
        .append('\n')
        .append(
            "      args: []                    # each element one argument, e.g. [\"--epochs\", \"3\"]\n")
        .append(
            "      checkpoints: checkpoints    # $RUNCTL_CHECKPOINT_DIR; a change there is progress\n")
        .append(
            "      progress_timeout: 15m       # no output and no checkpoint for this long: a hang\n")
        .append("  - id: teardown                  # give the machine back, keep the checkpoints\n")
        .append("    uses: teardown\n")
        .append("    when: always\n")
        .append("    with:\n")
        .append("      collect: [\"checkpoints/\"]\n");
    return b.toString();
  }

  private void deps(StringBuilder b) {
    if (scan.requirements().isPresent()) {
      b.append("  - id: deps                      # a virtual environment with the requirements\n")
          .append("    uses: deps\n")
          .append("    with:\n")
          .append("      requirements: ")
          .append(scan.requirements().get())
          .append('\n');
    } else if (scan.pyproject()) {
      b.append(
              "  # deps installs a requirements file; this project has pyproject.toml only. List\n")
          .append("  # its dependencies in requirements.txt (or `pip freeze > requirements.txt`)\n")
          .append("  # and uncomment:\n")
          .append("  # - id: deps\n")
          .append("  #   uses: deps\n")
          .append("  #   with: {requirements: requirements.txt}\n");
    } else {
      b.append("  # no requirements.txt found: the training runs with the target's python3. Add\n")
          .append("  # one and uncomment:\n")
          .append("  # - id: deps\n")
          .append("  #   uses: deps\n")
          .append("  #   with: {requirements: requirements.txt}\n");
    }
  }

  private void target(StringBuilder b) {
    switch (provider) {
      case LOCAL ->
          b.append("target:\n")
              .append(
                  "  provider: local                # this machine; aws, ssh and slurm also exist\n");
      case AWS ->
          b.append(
                  "target:                         # EC2 through SSM, code and artifacts through S3\n")
              .append("  provider: aws\n")
              .append("  region: us-east-1              # CHANGE ME: the region to run in\n")
              .append("  instance_type: g5.xlarge       # CHANGE ME: the EC2 instance type\n")
              .append("  market: spot_or_on_demand      # spot, falling back to on-demand\n")
              .append(
                  "  image: {name: \"Deep Learning*PyTorch*\", owner: amazon}   # newest match\n")
              .append(
                  "  iam_instance_profile: runctl   # CHANGE ME: SSM core + read/write on the bucket\n")
              .append(
                  "  bucket: change-me-runctl-bucket  # CHANGE ME: for code, logs and artifacts\n")
              .append("budget:\n")
              .append(
                  "  max_duration: 12h              # the run stops (and tears down) past this\n");
      case SSH ->
          b.append("target:                         # a machine you reach with ssh\n")
              .append("  provider: ssh\n")
              .append(
                  "  host: gpu-box                  # CHANGE ME: a Host of ~/.ssh/config, or user@address\n")
              .append("  # port: 22                     # optional: otherwise ~/.ssh/config's\n")
              .append("  # identity_file: ~/.ssh/id_ed25519   # optional: ssh -i\n")
              .append("  # workdir: ~/runctl/")
              .append(name)
              .append("   # optional: the default\n")
              .append("  # python: python3              # optional: the Python on the host\n");
      case SLURM ->
          b.append(
                  "target:                         # a Slurm cluster; runctl runs on its login node\n")
              .append("  provider: slurm\n")
              .append(
                  "  partition: gpu                 # CHANGE ME: `sinfo` lists the partitions\n")
              .append("  nodes: 1\n")
              .append("  gpus_per_node: 1\n")
              .append("  workdir: ~/runctl/")
              .append(name)
              .append("   # on the filesystem every node mounts\n")
              .append("  # account: my-account          # optional: sbatch --account\n")
              .append(
                  "  continue_past_time_limit: true # requeue from the last checkpoint at the limit\n");
    }
  }
}
