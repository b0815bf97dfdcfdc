package dev.runctl.targets.slurm;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small Slurm controller in memory, for the states the test cluster cannot produce on cue (out of
 * memory, preemption, a node failure): sbatch queues a running job, squeue lists the active ones,
 * scontrol describes one, scancel cancels it; a test moves a job to a state with {@link #set}.
 */
final class FakeSlurm extends SlurmCommands {
  private record Job(String name, String state, int restarts) {}

  private final Map<String, Job> jobs = new LinkedHashMap<>();
  final List<List<String>> sbatchCalls = new ArrayList<>();
  final List<String> commands = new ArrayList<>();

  synchronized void set(String id, String state, int restarts) {
    jobs.put(id, new Job(jobs.get(id).name(), state, restarts));
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
              boolean active = j.state().equals("RUNNING") || j.state().equals("PENDING");
              if (active && (name == null || name.equals(j.name()))) {
                out.append(name == null ? id + "|" + j.name() + "|" + j.state() + "|n1" : id)
                    .append('\n');
              }
            });
        return new Result(0, out.toString(), "");
      }
      case "scontrol" -> {
        Job j = jobs.get(argv.get(argv.size() - 1));
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
}
