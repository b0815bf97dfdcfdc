/**
 * {@code provider: slurm}: an existing Slurm cluster from its login node. Slurm's client commands
 * run as processes (never through a shell), the training is a batch job followed through its output
 * file and {@code scontrol}, and the shared workdir is filled like a local workspace.
 */
package dev.runctl.targets.slurm;
