package dev.runctl.steps.sync;

import dev.runctl.engine.spi.AheadStep;
import dev.runctl.engine.spi.ConfigureContext;
import dev.runctl.engine.spi.ErrorClass;
import dev.runctl.engine.spi.Machine;
import dev.runctl.engine.spi.PlanReview;
import dev.runctl.engine.spi.SettingsReader;
import dev.runctl.engine.spi.SettingsSchema;
import dev.runctl.engine.spi.StepConfig;
import dev.runctl.engine.spi.StepContext;
import dev.runctl.engine.spi.StepException;
import dev.runctl.engine.spi.StepResult;
import dev.runctl.engine.spi.StepType;
import dev.runctl.engine.spi.SyncRequest;
import dev.runctl.engine.spi.SyncResult;
import dev.runctl.engine.spi.TargetConfig;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.PatternSyntaxException;

/**
 * {@code uses: sync}: copies the workdir to the machine, incrementally by content. Excludes come
 * from {@code exclude}, {@code .gitignore} and {@code .runctlignore}, and {@code include} globs are
 * synced even so; {@code plan} and the sync log say what is left out that a step names or that is
 * large ({@link LeftOut}). Hashes of files whose size and modification time are unchanged come from
 * a cached manifest; the machine sends only what it lacks and deletes what is gone. Afterwards the
 * paths later steps name must exist there.
 */
public final class SyncStep implements StepType<SyncStep.Config> {
  private static final SettingsSchema SETTINGS =
      SettingsSchema.of(
          """
        {
          "type": "object",
          "additionalProperties": false,
          "properties": {
            "exclude": {
              "$ref": "#/$defs/stringList",
              "description": "Globs of paths not to copy (in addition to .gitignore and .runctlignore), e.g. [\\".git/\\", \\"checkpoints/\\"]."
            },
            "include": {
              "$ref": "#/$defs/stringList",
              "description": "Globs of paths to copy even when exclude, .gitignore or .runctlignore leaves them out, e.g. [\\"/data/small/\\", \\"configs/local.yaml\\"]; a folder matched is copied whole."
            }
          }
        }
          """);

  /**
   * {@code exclude}: gitignore-style patterns, relative to the workdir; {@code include}: the same,
   * for paths synced even when excluded or ignored.
   */
  public record Config(List<String> exclude, List<String> include) implements StepConfig {
    @Override
    public Map<String, String> describe() {
      Map<String, String> d = new LinkedHashMap<>();
      d.put("exclude", exclude.isEmpty() ? "(none)" : String.join(", ", exclude));
      d.put("include", include.isEmpty() ? "(none)" : String.join(", ", include));
      return d;
    }
  }

  @Override
  public String name() {
    return "sync";
  }

  @Override
  public Set<String> outputs() {
    return Set.of("files", "bytes_sent", "manifest_sha256", "files_sent", "files_deleted");
  }

  @Override
  public boolean machineState() {
    return true;
  }

  /** On a target that stages files (aws), the upload runs ahead as {@code <id>.upload}. */
  @Override
  public Optional<AheadStep> ahead(TargetConfig target) {
    return target.stagesFiles()
        ? Optional.of(new AheadStep("upload", new SyncUploadStep(this)))
        : Optional.empty();
  }

  /** The schema of {@code with:}, composed into the job schema. */
  @Override
  public SettingsSchema settings() {
    return SETTINGS;
  }

  @Override
  public Config configure(ConfigureContext ctx) {
    SettingsReader with = SettingsReader.of(ctx).onlyKeys(Set.of("exclude", "include"));
    List<String> exclude = globs(with, "exclude");
    return new Config(exclude, globs(with, "include"));
  }

  private static List<String> globs(SettingsReader with, String key) {
    List<String> globs = with.stringList(key);
    for (String pattern : globs) {
      try {
        IgnoreRules.parse("", pattern, key);
      } catch (PatternSyntaxException e) {
        with.error(
            key, key + " pattern '" + pattern + "' is not a valid glob", "check its [ ] classes");
      }
    }
    return globs;
  }

  /** What sync would leave out that a step names, or that is large: warnings of {@code plan}. */
  @Override
  public void review(Config config, PlanReview review) {
    LeftOut leftOut = new LeftOut(review.workdir(), config.exclude(), config.include());
    for (PlanReview.NamedPath n : review.named()) {
      leftOut
          .named(n.step(), n.path())
          .ifPresent(i -> review.diagnostics().warning(n.at(), i.message(), i.hint()));
    }
    for (PlanReview.NamedPath secret : review.secretFiles()) {
      if (leftOut.named("", secret.path()).isEmpty()
          && java.nio.file.Files.isRegularFile(review.workdir().resolve(secret.path()))) {
        review
            .diagnostics()
            .error(
                secret.at(),
                "secret "
                    + secret.step()
                    + "'s file '"
                    + secret.path()
                    + "' is inside the workdir, and sync would copy it to the machine in clear",
                "keep the file outside the workdir, or leave it out of sync: add \""
                    + secret.path()
                    + "\" to .gitignore or to the sync step's exclude:");
      }
    }
    for (LeftOut.Item i : leftOut.large()) {
      review.diagnostics().warning(review.at(), i.message(), i.hint());
    }
  }

  @Override
  public StepResult execute(Config config, StepContext ctx) throws Exception {
    long started = System.nanoTime();
    LocalTree tree = LocalTree.scan(config.exclude(), config.include(), ctx);
    logLeftOut(config, ctx);
    ctx.progress(tree.summary(started));
    if (!tree.stateFolders().isEmpty()) {
      ctx.log()
          .line(
              "not synced: runctl state of earlier runs in the workdir ("
                  + String.join(", ", tree.stateFolders())
                  + "); runctl never copies a state folder");
    }
    Machine machine = ctx.target().machine();
    SyncResult result =
        machine.sync(
            new SyncRequest(tree.root(), tree.files(), ctx.requiredPaths(), ctx::progress));
    if (!result.missing().isEmpty()) {
      throw missing(result.missing(), machine, tree);
    }
    ctx.log()
        .line(
            String.format(
                "sent %d files (%.1f MB), deleted %d, %d unchanged; %s now holds %d files",
                result.filesSent(),
                result.bytesSent() / 1e6,
                result.filesDeleted(),
                tree.files().size() - result.filesSent(),
                machine.workdir(),
                tree.files().size()));
    Map<String, String> out = new LinkedHashMap<>();
    out.put("files", Integer.toString(tree.files().size()));
    out.put("bytes_sent", Long.toString(result.bytesSent()));
    out.put("manifest_sha256", tree.sha256());
    out.put("files_sent", Integer.toString(result.filesSent()));
    out.put("files_deleted", Integer.toString(result.filesDeleted()));
    return new StepResult(out, Optional.of(tree.sha256()));
  }

  @Override
  public Optional<String> inputFingerprint(Config config, StepContext ctx) throws Exception {
    return Optional.of(LocalTree.scan(config.exclude(), config.include(), ctx).sha256());
  }

  private static void logLeftOut(Config config, StepContext ctx) {
    LeftOut leftOut = new LeftOut(ctx.localWorkdir(), config.exclude(), config.include());
    List<LeftOut.Item> items = new java.util.ArrayList<>(leftOut.large());
    for (String path : new java.util.LinkedHashSet<>(ctx.namedPaths())) {
      leftOut.named("", path).ifPresent(items::add);
    }
    for (LeftOut.Item i : items) {
      ctx.log().line("left out: " + i.message());
      ctx.log().line("  to sync it: " + i.hint());
    }
  }

  private static StepException missing(List<String> missing, Machine machine, LocalTree tree) {
    StringBuilder why = new StringBuilder();
    for (String path : missing) {
      boolean local = Files.exists(tree.root().resolve(path));
      why.append("\n  ")
          .append(path)
          .append(
              local
                  ? ": it exists locally but is excluded (exclude, .gitignore or .runctlignore)"
                  : ": it is not in the local workdir " + tree.root() + " either");
    }
    return new StepException(
        ErrorClass.FAILURE,
        false,
        "after sync, "
            + missing.size()
            + " path(s) that later steps need are missing on "
            + machine.id()
            + " (looked in "
            + machine.workdir()
            + "):"
            + why,
        "paths in train's script and deps' requirements are relative to the spec's workdir ("
            + tree.root()
            + "); fix the path, or name it in the sync step's include: (synced even when"
            + " ignored)",
        null);
  }
}
