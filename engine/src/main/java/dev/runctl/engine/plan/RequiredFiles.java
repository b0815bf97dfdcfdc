package dev.runctl.engine.plan;

import dev.runctl.engine.spec.DisplayPaths;
import dev.runctl.engine.spec.JobSpec;
import dev.runctl.engine.spec.StepSpec;
import dev.runctl.engine.spi.ConfigNode;
import dev.runctl.engine.spi.ConfigureContext;
import dev.runctl.engine.spi.Diagnostic;
import dev.runctl.engine.spi.Diagnostics;
import dev.runctl.engine.spi.Position;
import dev.runctl.engine.spi.StepConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Checks that the files steps name for the machine (a train script, a requirements file: each
 * config's {@link StepConfig#requiredPaths()}) exist in the local workdir that sync copies, so that
 * a typo is caught before anything is rented. A path that holds an expression is checked at
 * execution instead.
 */
final class RequiredFiles {
  private final JobSpec job;
  private final Diagnostics diagnostics;

  RequiredFiles(JobSpec job, Diagnostics diagnostics) {
    this.job = job;
    this.diagnostics = diagnostics;
  }

  void check(Map<String, StepConfig> configs) {
    if (!Files.isDirectory(job.workdir())) {
      return;
    }
    Map<String, StepSpec> byId = job.stepsById();
    configs.forEach(
        (id, config) -> {
          StepSpec step = byId.get(id);
          for (String path : config.requiredPaths()) {
            if (ConfigureContext.hasExpression(path) || Path.of(path).isAbsolute()) {
              continue;
            }
            Path local = job.workdir().resolve(path).normalize();
            if (!Files.exists(local)) {
              report(step, path, local);
            }
          }
        });
  }

  private void report(StepSpec step, String path, Path local) {
    Position at = find(step.with(), path).orElse(step.position());
    boolean alreadyReported =
        diagnostics.all().stream()
            .anyMatch(
                d ->
                    d.position().equals(at)
                        && d.severity() == dev.runctl.engine.spi.Severity.ERROR);
    if (alreadyReported) {
      return;
    }
    diagnostics.add(
        Diagnostic.error(
            at,
            "step '"
                + step.id()
                + "' needs '"
                + path
                + "', which does not exist in the workdir"
                + " (looked for "
                + DisplayPaths.of(local)
                + ")",
            "paths under with: are relative to the workdir ("
                + DisplayPaths.of(job.workdir())
                + "); fix the path, create the file, or set workdir:"));
  }

  /** Where the tree says {@code path}, so that the message points at the value itself. */
  static Optional<Position> find(ConfigNode node, String path) {
    if (node instanceof ConfigNode.Scalar s) {
      return s.value().equals(path) ? Optional.of(s.position()) : Optional.empty();
    }
    Iterable<ConfigNode> children =
        node instanceof ConfigNode.Seq q
            ? q.items()
            : ((ConfigNode.Mapping) node).entries().values();
    for (ConfigNode child : children) {
      Optional<Position> p = find(child, path);
      if (p.isPresent()) {
        return p;
      }
    }
    return Optional.empty();
  }
}
