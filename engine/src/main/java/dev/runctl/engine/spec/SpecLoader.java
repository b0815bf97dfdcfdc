package dev.runctl.engine.spec;

import com.networknt.schema.Error;
import dev.runctl.engine.RunctlException;
import dev.runctl.engine.registry.Registry;
import dev.runctl.engine.spi.ConfigNode;
import dev.runctl.engine.spi.Diagnostic;
import dev.runctl.engine.spi.Diagnostics;
import dev.runctl.engine.spi.Position;
import dev.runctl.engine.spi.Severity;
import dev.runctl.engine.spi.TargetConfig;
import dev.runctl.engine.spi.TargetProvider;
import dev.runctl.engine.spi.TargetSettings;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * Loads a job spec file into a {@link JobSpec}, finding every problem it can in one pass: the file
 * is read with guards (size, binary), composed as YAML with positions, validated against the JSON
 * Schema composed from the registry, and bound into records with defaults applied. The caller plans
 * the result ({@code Planner.plan}), which configures the target and step settings and checks
 * cycles, expressions and required files. Nothing is written anywhere.
 */
public final class SpecLoader {
  private final Registry registry;
  private FutureTask<JobSchema> schema;

  public SpecLoader(Registry registry) {
    this.registry = registry;
  }

  /** Loads {@code file}; messages name it as given. */
  public SpecResult load(Path file) {
    startSchema();
    String display = file.toString();
    SpecText.Read read = SpecText.read(file, display);
    if (read instanceof SpecText.Refused refused) {
      return new SpecResult.Refused(List.of(refused.diagnostic()));
    }
    return load(file, ((SpecText.Text) read).text());
  }

  /**
   * Loads {@code text} as if it were the content of {@code file} (the spec frozen into a run folder
   * is re-planned with its original path, so that {@code workdir} resolves the same).
   */
  public SpecResult load(Path file, String text) {
    return load(file, text, List.of());
  }

  /** Loads {@code file} with {@code overrides} put in, checked like the file's own values. */
  public SpecResult load(Path file, List<SpecOverride> overrides) {
    startSchema();
    SpecText.Read read = SpecText.read(file, file.toString());
    if (read instanceof SpecText.Refused refused) {
      return new SpecResult.Refused(List.of(refused.diagnostic()));
    }
    return load(file, ((SpecText.Text) read).text(), overrides);
  }

  /** Loads {@code text} as the content of {@code file}, with {@code overrides} put in. */
  public SpecResult load(Path file, String text, List<SpecOverride> overrides) {
    startSchema();
    String display = file.toString();
    Diagnostics diagnostics = new Diagnostics();
    Optional<ConfigNode> composed = new YamlComposer(display, diagnostics).compose(text);
    if (composed.isEmpty()) {
      return new SpecResult.Refused(diagnostics.all());
    }
    if (!(composed.get() instanceof ConfigNode.Mapping root)) {
      diagnostics.error(
          composed.get().position(),
          "a job spec must be a mapping (version:, name:, steps:, ...), not "
              + SchemaDiagnostics.found(composed.get()),
          "start the file with version: 1");
      return new SpecResult.Refused(diagnostics.all());
    }
    root = SpecOverrides.apply(root, overrides, diagnostics);
    Set<String> skip = validate(root, diagnostics);
    NumberRules.check(root, schema().bounds(), diagnostics);
    JobSpec job = new SpecBinder(registry, diagnostics).bind(file, text, root);
    return new SpecResult.Bound(job, new SpecLocator(root), skip, diagnostics);
  }

  /** A spec's target as its provider configured it, and the workdir the spec names. */
  public record SpecTarget(TargetProvider provider, TargetConfig config, Path workdir) {}

  /**
   * Only the {@code target:} of {@code text} (the content of {@code file}), configured by its
   * provider: no schema, no steps, no check that the workdir or the scripts still exist. For
   * looking at a run's target through its frozen spec after the project has moved on ({@code runctl
   * runs}); cheap, as it compiles no schema.
   *
   * @throws RunctlException naming the first problem when the target cannot be read
   */
  public SpecTarget loadTarget(Path file, String text) {
    return loadTarget(file, text, List.of());
  }

  /** {@link #loadTarget(Path, String)} with {@code overrides} put in. */
  public SpecTarget loadTarget(Path file, String text, List<SpecOverride> overrides) {
    String display = file.toString();
    Diagnostics diagnostics = new Diagnostics();
    Optional<ConfigNode> composed = new YamlComposer(display, diagnostics).compose(text);
    if (composed.isPresent() && composed.get() instanceof ConfigNode.Mapping parsed) {
      ConfigNode.Mapping root = SpecOverrides.apply(parsed, overrides, diagnostics);
      Optional<ConfigNode.Mapping> node = Nodes.mapping(root.get("target"));
      ConfigNode.Mapping settings = node.orElse(ConfigNode.Mapping.empty(root.position()));
      Optional<ConfigNode.Scalar> named = Nodes.scalar(settings.get("provider"));
      String name = named.map(ConfigNode.Scalar::value).orElseGet(registry::defaultTargetName);
      Optional<TargetProvider> provider = registry.target(name);
      if (provider.isEmpty()) {
        throw new RunctlException(
            display + ": unknown target provider '" + name + "'",
            "this runctl knows " + String.join(", ", registry.targetNames()));
      }
      Position at = node.isPresent() ? root.keyPosition("target") : root.position();
      TargetConfig config =
          provider.get().configure(new TargetSettings(name, settings, at), diagnostics);
      if (!diagnostics.hasErrors()) {
        Path specDir = file.toAbsolutePath().normalize().getParent();
        Path workdir =
            Nodes.text(root.get("workdir"))
                .map(w -> specDir.resolve(w).normalize())
                .orElse(specDir);
        return new SpecTarget(provider.get(), config, workdir);
      }
    }
    Optional<Diagnostic> first =
        diagnostics.all().stream().filter(d -> d.severity() == Severity.ERROR).findFirst();
    throw new RunctlException(
        first.map(d -> d.position() + ": " + d.message()).orElse(display + ": not a job spec"),
        "this runctl may not match the one that wrote the spec");
  }

  /** Schema errors to diagnostics; answers the parts (target, step ids) not to configure. */
  private Set<String> validate(ConfigNode.Mapping root, Diagnostics diagnostics) {
    JobSchema compiled = schema();
    SchemaDiagnostics mapper = new SchemaDiagnostics(root, compiled);
    Set<String> skip = new HashSet<>();
    for (Error e : compiled.validate(root)) {
      diagnostics.add(mapper.toDiagnostic(e));
      List<String> path = SchemaDiagnostics.fragment(e.getInstanceLocation());
      if (!path.isEmpty() && path.get(0).equals("target")) {
        skip.add("target");
      } else if (path.size() >= 2 && path.get(0).equals("steps") && !unknownWithKey(e, path)) {
        stepId(root, path.get(1)).ifPresent(skip::add);
      }
    }
    return skip;
  }

  /**
   * An unknown key right under a step's {@code with:}: the step type still reads the keys it knows,
   * so that their problems (a missing script) are reported in the same pass.
   */
  private static boolean unknownWithKey(Error e, List<String> path) {
    return path.size() == 3
        && path.get(2).equals("with")
        && "additionalProperties".equals(String.valueOf(e.getKeyword()));
  }

  /**
   * Starts compiling the schema on a second thread, once, so that it overlaps with reading and
   * composing the spec: on a machine with a spare core, {@code runctl plan} answers sooner.
   */
  private synchronized void startSchema() {
    if (schema == null) {
      schema = new FutureTask<>(() -> JobSchema.compile(registry));
      Thread t = new Thread(schema, "runctl-schema");
      t.setDaemon(true);
      t.start();
    }
  }

  private JobSchema schema() {
    startSchema();
    try {
      return schema.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while compiling the job schema", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException("the job schema did not compile", cause);
    }
  }

  private static Optional<String> stepId(ConfigNode.Mapping root, String index) {
    List<ConfigNode> steps = Nodes.items(root.get("steps"));
    try {
      int i = Integer.parseInt(index);
      return i < steps.size()
          ? Nodes.mapping(Optional.of(steps.get(i))).flatMap(m -> Nodes.text(m.get("id")))
          : Optional.empty();
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
