package dev.runctl.steps.teardown;

import dev.runctl.engine.spi.ConfigureContext;
import dev.runctl.engine.spi.Health;
import dev.runctl.engine.spi.Machine;
import dev.runctl.engine.spi.SettingsReader;
import dev.runctl.engine.spi.SettingsSchema;
import dev.runctl.engine.spi.StepConfig;
import dev.runctl.engine.spi.StepContext;
import dev.runctl.engine.spi.StepException;
import dev.runctl.engine.spi.StepResult;
import dev.runctl.engine.spi.StepType;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code uses: teardown}: copies {@code collect} from the machine into the run's {@code artifacts/}
 * (keeping each path's folders), then destroys what provision made. Idempotent: a machine already
 * gone is success. With {@code keep_on_failure: true} a failed run's machine is kept for debugging,
 * and the step says so.
 */
public final class TeardownStep implements StepType<TeardownStep.Config> {
  private static final SettingsSchema SETTINGS =
      SettingsSchema.of(
          """
        {
          "type": "object",
          "additionalProperties": false,
          "properties": {
            "collect": {
              "$ref": "#/$defs/stringList",
              "description": "Paths on the machine copied into the run's artifacts/ before the machine is destroyed."
            },
            "keep_on_failure": {
              "description": "Keep the machine for debugging when the run failed (and say so). Default false.",
              "type": "boolean"
            }
          }
        }
          """);

  /** Paths (files or folders) to collect, relative to the workdir; whether to keep on failure. */
  public record Config(List<String> collect, boolean keepOnFailure) implements StepConfig {
    @Override
    public Map<String, String> describe() {
      Map<String, String> d = new LinkedHashMap<>();
      d.put("collect", collect.isEmpty() ? "(nothing)" : String.join(", ", collect));
      d.put("keep_on_failure", Boolean.toString(keepOnFailure));
      return d;
    }
  }

  @Override
  public String name() {
    return "teardown";
  }

  @Override
  public Set<String> outputs() {
    return Set.of("collected", "kept", "artifacts");
  }

  @Override
  public int defaultMaxAttempts() {
    return 5;
  }

  @Override
  public boolean releasesMachine() {
    return true;
  }

  /** The schema of {@code with:}, composed into the job schema. */
  @Override
  public SettingsSchema settings() {
    return SETTINGS;
  }

  @Override
  public Config configure(ConfigureContext ctx) {
    SettingsReader with = SettingsReader.of(ctx).onlyKeys(Set.of("collect", "keep_on_failure"));
    List<String> collect = with.stringList("collect");
    for (String path : collect) {
      if (path.startsWith("/") || List.of(path.split("/")).contains("..")) {
        with.error(
            "collect",
            "collect path '" + path + "' must stay inside the workdir",
            "write it relative to the workdir, e.g. checkpoints/");
      }
    }
    return new Config(collect, with.bool("keep_on_failure", false));
  }

  @Override
  public StepResult execute(Config config, StepContext ctx) throws Exception {
    Optional<Machine> machine = currentMachine(ctx);
    int collected = 0;
    if (machine.isPresent()) {
      collected = collect(config, machine.get(), ctx);
    }
    boolean keep = config.keepOnFailure() && ctx.runHasFailed();
    if (keep) {
      String id = machine.map(Machine::id).orElse("the machine");
      ctx.warn(
          "keeping "
              + id
              + " for debugging (keep_on_failure: true and the run failed);"
              + " remove it with `runctl destroy "
              + ctx.runId()
              + "` when done");
    } else if (ctx.runHasFailed() || ctx.runWasStopped()) {
      ctx.target().destroyKeepingProgress(ctx.log()); // a resume continues from the checkpoints
    } else {
      ctx.target().destroy(ctx.log());
    }
    Map<String, String> out = new LinkedHashMap<>();
    out.put("collected", Integer.toString(collected));
    out.put("kept", Boolean.toString(keep));
    out.put("artifacts", ctx.artifactsDir().toString());
    return StepResult.of(out);
  }

  private static Optional<Machine> currentMachine(StepContext ctx) throws InterruptedException {
    try {
      Machine m = ctx.target().machine();
      if (m.health() == Health.ALIVE) {
        return Optional.of(m);
      }
      ctx.log()
          .line(
              "the machine "
                  + m.id()
                  + " is already "
                  + m.health().name().toLowerCase()
                  + ": nothing to collect");
    } catch (StepException e) {
      ctx.log().line("no machine to collect from: " + e.getMessage());
    }
    return Optional.empty();
  }

  private static int collect(Config config, Machine machine, StepContext ctx)
      throws InterruptedException {
    int collected = 0;
    for (String path : config.collect()) {
      String clean = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
      int files = machine.list(clean).size();
      if (files == 0) {
        ctx.log().line("nothing to collect at " + path + " on " + machine.id());
        continue;
      }
      Path parent = Path.of(clean).getParent();
      Path into =
          parent == null ? ctx.artifactsDir() : ctx.artifactsDir().resolve(parent.toString());
      machine.fetch(clean, into);
      collected += files;
      ctx.log().line("collected " + path + " (" + files + " file(s)) into " + into);
    }
    return collected;
  }
}
