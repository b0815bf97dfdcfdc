package dev.runctl.engine.plan;

import dev.runctl.engine.registry.Registry;
import dev.runctl.engine.spec.JobSpec;
import dev.runctl.engine.spec.StepSpec;
import dev.runctl.engine.spi.ConfigureContext;
import dev.runctl.engine.spi.Diagnostics;
import dev.runctl.engine.spi.PlanReview;
import dev.runctl.engine.spi.StepConfig;
import dev.runctl.engine.spi.StepType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Asks each configured step's type to {@link StepType#review} the plan: the paths every step names,
 * each with where the spec names it. Only when the workdir exists (there is nothing to look at
 * otherwise).
 */
final class PlanReviews {
  private PlanReviews() {}

  static void review(
      JobSpec job, Registry registry, Map<String, StepConfig> configs, Diagnostics diagnostics) {
    if (!Files.isDirectory(job.workdir())) {
      return;
    }
    Map<String, StepSpec> byId = job.stepsById();
    List<PlanReview.NamedPath> named = new ArrayList<>();
    configs.forEach(
        (id, config) -> {
          StepSpec step = byId.get(id);
          for (String path : config.namedPaths()) {
            if (relative(path)) {
              named.add(
                  new PlanReview.NamedPath(
                      id, path, RequiredFiles.find(step.with(), path).orElse(step.position())));
            }
          }
        });
    Path workdir = job.workdir().toAbsolutePath().normalize();
    List<PlanReview.NamedPath> secretFiles = new ArrayList<>();
    for (dev.runctl.engine.spi.SecretRef ref : job.secrets()) {
      registry
          .secretSource(ref.source())
          .flatMap(s -> s.localFile(ref))
          .map(p -> p.toAbsolutePath().normalize())
          .filter(p -> p.startsWith(workdir) && !p.equals(workdir))
          .ifPresent(
              p ->
                  secretFiles.add(
                      new PlanReview.NamedPath(
                          ref.name(),
                          workdir.relativize(p).toString().replace('\\', '/'),
                          ref.position())));
    }
    configs.forEach(
        (id, config) -> {
          StepSpec step = byId.get(id);
          Optional<StepType<?>> type = registry.stepType(step.uses());
          type.ifPresent(
              t ->
                  review(
                      t,
                      config,
                      new PlanReview(
                          job.workdir(), step.position(), named, secretFiles, diagnostics)));
        });
  }

  /** A path of the workdir, as written: no expression, not absolute, a valid path. */
  private static boolean relative(String path) {
    try {
      return !ConfigureContext.hasExpression(path) && !Path.of(path).isAbsolute();
    } catch (java.nio.file.InvalidPathException e) {
      return false;
    }
  }

  @SuppressWarnings("unchecked")
  private static <C extends StepConfig> void review(
      StepType<C> type, StepConfig config, PlanReview review) {
    type.review((C) config, review);
  }
}
