package dev.runctl.cli;

import dev.runctl.targets.slurm.testing.SlurmCluster;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A project folder for the CLI's slurm tests: the repository's training scripts copied in, a runctl
 * pointed at the test cluster ({@code SLURM_CONF}), and specs for {@code provider: slurm} whose
 * workdir (the cluster's "shared filesystem") is a folder beside the project.
 */
final class SlurmProject {
  final Path dir;
  final Path source;
  final Path clusterWorkdir;
  final Runctl runctl;

  SlurmProject(Path dir) throws IOException {
    this.dir = dir;
    this.source = dir.resolve("project");
    this.clusterWorkdir = dir.resolve("shared/job");
    TrainingProject.withTraining(source, "tiny_mlp.py", "requirements.txt");
    this.runctl = new Runctl(source);
    SlurmCluster.env().forEach(runctl::env);
  }

  /**
   * A spec of the six steps on the slurm target; {@code target} and {@code train} are extra lines.
   */
  String spec(String name, String target, String trainWith, String trainExtra) {
    return """
        version: 1
        name: %s
        env: {SEED: "7"}
        target:
          provider: slurm
          workdir: %s
        %s
        steps:
          - id: provision
            uses: provision
          - id: sync
            uses: sync
            with: {exclude: ["state/", "out-*.txt", "err-*.txt", "checkpoints/"]}
          - id: deps
            uses: deps
            with: {requirements: training/requirements.txt}
          - id: train
            uses: train
            %s
            with:
              checkpoints: checkpoints
        %s
          - id: teardown
            uses: teardown
            when: always
            with: {collect: ["checkpoints/"]}
        """
        .formatted(
            name,
            clusterWorkdir,
            target.indent(2).stripTrailing(),
            trainExtra,
            trainWith.indent(6).stripTrailing());
  }

  Path write(String yaml) throws IOException {
    return runctl.spec("job.yaml", yaml);
  }
}
