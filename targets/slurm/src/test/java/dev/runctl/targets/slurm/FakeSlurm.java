package dev.runctl.targets.slurm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small Slurm controller in memory, for the states the test cluster cannot produce on cue (out of
 * memory, preemption, a node failure): sbatch queues a running job, squeue lists the active ones,
 * scontrol describes one, scancel cancels it, {@code scontrol requeue} requeues one that ended (as
 * Slurm does for a batch job submitted with --requeue) and refuses one that is pending; a test
 * moves a job to a state with {@link #set}, or through Slurm's own requeue with {@link #requeue}.
 */
final class FakeSlurm extends SlurmCommands {
  private record Job(String name, String state, int restarts) {}

  private final Map<String, Job> jobs = new LinkedHashMap<>();
  final List<List<String>> sbatchCalls = new ArrayList<>();
  final List<String> commands = new ArrayList<>();

  synchronized void set(String id, String state, int restarts) {
    jobs.put(id, new Job(jobs.get(id).name(), state, restarts));
  }

  /**
   * What {@code scontrol requeue} of a running job does: the job is pending again (completing while
   * its nodes let go of it) with one restart more; its batch script, killed with SIGTERM, records
   * 143 as the end of the run before.
   */
  synchronized void requeue(String id, Path jobFolder) throws IOException {
    Files.writeString(jobFolder.resolve("exit"), id + " " + jobs.get(id).restarts() + " 143\n");
    requeueCommand(id, jobs.get(id));
  }

  @Override
  synchronized Result run(List<String> argv, boolean scrubbed) {
    commands.add(argv.get(0));
    switch (argv.get(0)) {
      case "sbatch" -> {
        sbatchCalls.add(argv);
        String id = Integer.toString(100 + jobs.size());
        String name =
            argv.stream().filter(a -> a.startsWith("--job-name=")).findFirst().orElseThrow();
        jobs.put(id, new Job(name.substring("--job-name=".length()), "RUNNING", 0));
        return new Result(0, id + "\n", "");
      }
      case "squeue" -> {
        StringBuilder out = new StringBuilder();
        String name =
            argv.stream()
                .filter(a -> a.startsWith("--name="))
                .map(a -> a.substring(7))
                .findFirst()
                .orElse(null);
        jobs.forEach(
            (id, j) -> {
              boolean active =
                  j.state().equals("RUNNING")
                      || j.state().equals("PENDING")
                      || j.state().equals("COMPLETING");
              if (active && (name == null || name.equals(j.name()))) {
                out.append(name == null ? id + "|" + j.name() + "|" + j.state() + "|n1" : id)
                    .append('\n');
              }
            });
        return new Result(0, out.toString(), "");
      }
      case "scontrol" -> {
        Job j = jobs.get(argv.get(argv.size() - 1));
        if (argv.get(1).equals("requeue")) {
          return requeueCommand(argv.get(2), j);
        }
        if (j == null) {
          return new Result(1, "", "slurm_load_jobs error: Invalid job id specified");
        }
        return new Result(
            0,
            "JobId="
                + argv.get(argv.size() - 1)
                + " JobName="
                + j.name()
                + " JobState="
                + j.state()
                + " Reason=None Restarts="
                + j.restarts()
                + " ExitCode=0:0 NodeList=n1\n",
            "");
      }
      case "scancel" -> {
        argv.subList(1, argv.size()).forEach(id -> set(id, "CANCELLED", jobs.get(id).restarts()));
        return new Result(0, "", "");
      }
      default -> throw new IllegalArgumentException("not a Slurm command: " + argv);
    }
  }

  private Result requeueCommand(String id, Job j) {
    if (j == null) {
      return new Result(1, "", "Invalid job id specified for job " + id);
    }
    if (j.state().equals("PENDING")) {
      return new Result(1, "", "Job is pending execution for job " + id);
    }
    boolean onNodes = j.state().equals("RUNNING") || j.state().equals("COMPLETING");
    jobs.put(id, new Job(j.name(), onNodes ? "COMPLETING" : "PENDING", j.restarts() + 1));
    return new Result(0, "", "");
  }
}
