package dev.runctl.steps.testing;

import dev.runctl.engine.spi.Facts;
import dev.runctl.engine.spi.MemoryFacts;
import dev.runctl.engine.spi.RunClock;
import dev.runctl.engine.spi.StepContext;
import dev.runctl.engine.spi.StepLog;
import dev.runctl.engine.spi.Target;
import dev.runctl.engine.spi.TargetContext;
import dev.runctl.engine.testing.RecordingLog;
import dev.runctl.targets.local.LocalTargetConfig;
import dev.runctl.targets.local.LocalTargetProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A step context without an executor, for calling one step type directly: facts in memory (shared
 * by every context made from the same instance, as a run's facts are), the real local target, and a
 * log file under the run folder.
 */
public final class DirectContext {
  private final Path workdir;
  private final Path runDir;
  private final MemoryFacts facts = new MemoryFacts();
  private final List<String> warnings = new ArrayList<>();
  private volatile String dieAt = "";

  /** What a step's thread gets where runctl was killed: nothing after it happens. */
  public static final class Killed extends Error {
    Killed(String where) {
      super("runctl killed at " + where);
    }
  }

  public DirectContext(Path workdir, Path runDir) {
    this.workdir = workdir;
    this.runDir = runDir;
  }

  public MemoryFacts facts() {
    return facts;
  }

  /**
   * Kills "runctl" when a step's context records the fact {@code key}: the put throws {@link
   * Killed} and the fact is not recorded, as with a kill -9 just before it reached the journal.
   * Contexts made after {@link #revive} record everything.
   */
  public void dieAtFact(String key) {
    dieAt = key;
  }

  public void revive() {
    dieAt = "";
  }

  public List<String> warnings() {
    return warnings;
  }

  public Path logFile(String stepId) {
    return runDir.resolve("logs/" + stepId + ".log");
  }

  public String logText(String stepId) {
    try {
      return Files.readString(logFile(stepId));
    } catch (IOException e) {
      return "";
    }
  }

  /** A fresh target instance over the same run, as a restarted runctl would open it. */
  public Target openTarget() {
    return new LocalTargetProvider()
        .open(
            new LocalTargetConfig(),
            TargetContext.builder()
                .runId("run-1")
                .jobName("job")
                .runDir(runDir)
                .localWorkdir(workdir)
                .cacheDir(runDir.resolve("../cache").normalize())
                .facts(facts)
                .warnings(warnings::add)
                .clock(RunClock.SYSTEM)
                .build());
  }

  public StepContext step(String stepId, int attempt, List<String> requiredPaths) {
    Target target = openTarget();
    StepLog log = new RecordingLog(logFile(stepId));
    return new StepContext() {
      public String runId() {
        return "run-1";
      }

      public String jobName() {
        return "job";
      }

      public String stepId() {
        return stepId;
      }

      public int attempt() {
        return attempt;
      }

      public Path localWorkdir() {
        return workdir;
      }

      public Path runDir() {
        return runDir;
      }

      public Path artifactsDir() {
        return runDir.resolve("artifacts");
      }

      public Path cacheDir() {
        return runDir.resolve("../cache").normalize();
      }

      public Map<String, String> env() {
        return Map.of(
            "RUNCTL_RUN_ID",
            "run-1",
            "RUNCTL_STEP_ID",
            stepId,
            "RUNCTL_ATTEMPT",
            Integer.toString(attempt));
      }

      public List<String> requiredPaths() {
        return requiredPaths;
      }

      public boolean runHasFailed() {
        return false;
      }

      public Target target() {
        return target;
      }

      public Facts facts() {
        String killAt = dieAt;
        if (killAt.isEmpty()) {
          return facts;
        }
        return new Facts() {
          @Override
          public Optional<String> get(String key) {
            return facts.get(key);
          }

          @Override
          public void put(String key, String value) {
            if (key.equals(killAt)) {
              throw new Killed("the fact " + key);
            }
            facts.put(key, value);
          }

          @Override
          public Map<String, String> all() {
            return facts.all();
          }
        };
      }

      public StepLog log() {
        return log;
      }

      public void progress(String message) {
        log.line(message);
      }

      public void warn(String message) {
        warnings.add(message);
        log.line("warning: " + message);
      }

      public RunClock clock() {
        return RunClock.SYSTEM;
      }
    };
  }
}
