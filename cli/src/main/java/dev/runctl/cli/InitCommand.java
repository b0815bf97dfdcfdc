package dev.runctl.cli;

import dev.runctl.engine.ErrorCategory;
import dev.runctl.engine.RunctlException;
import dev.runctl.engine.spec.JobSchema;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code runctl init}: a commented job.yaml for the project in the current folder. */
@Command(
    name = "init",
    mixinStandardHelpOptions = true,
    description = {
      "Write a commented job.yaml for the project in this folder, from what it finds: the"
          + " training script (SCRIPT, else the likeliest train*.py), requirements.txt or"
          + " pyproject.toml, .gitignore. It also writes the spec's JSON Schema to"
          + " .runctl/job.schema.json for editors (the spec's first line points at it).",
      "`runctl plan job.yaml` accepts what it writes; --target adds a target's block with"
          + " placeholders to fill in."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  runctl init                       # finds train*.py",
      "  runctl init src/train.py --target aws",
      "  runctl init --force               # overwrite job.yaml",
      "",
      "Exit codes: 0 written, 2 job.yaml exists (without --force), no script, or usage."
    })
final class InitCommand implements Callable<Integer> {
  static final String FILE = "job.yaml";

  @ParentCommand RunctlCommand root;

  @Parameters(
      arity = "0..1",
      paramLabel = "SCRIPT",
      description = "The training script (default: the likeliest train*.py here or below).")
  Path script;

  @Option(
      names = "--target",
      paramLabel = "PROVIDER",
      defaultValue = "local",
      description = "local (default), aws, ssh or slurm: the target block to write.")
  InitTemplate.Provider target = InitTemplate.Provider.LOCAL;

  @Option(names = "--force", description = "Overwrite an existing job.yaml.")
  boolean force;

  /** What init wrote. */
  record Written(String file, String script, String target) implements CliEvent {
    public String type() {
      return "init";
    }

    public String text() {
      return "wrote "
          + file
          + " (training script "
          + script
          + ", target "
          + target
          + "); check it with `runctl plan "
          + FILE
          + "`, run it with `runctl apply "
          + FILE
          + "`";
    }
  }

  @Override
  public Integer call() {
    Path here = Path.of("").toAbsolutePath();
    Path job = here.resolve(FILE);
    if (Files.exists(job) && !force) {
      throw new RunctlException(
          ErrorCategory.USAGE,
          FILE + " exists already in " + here,
          "edit it, or pass --force to write a new one over it");
    }
    ProjectScan scan = ProjectScan.of(here, script);
    String yaml = new InitTemplate(scan, target, here.getFileName()).render();
    try {
      Path schema = here.resolve(RunctlCommand.DEFAULT_STATE_DIR).resolve("job.schema.json");
      Files.createDirectories(schema.getParent());
      Files.writeString(
          schema, JobSchema.text(root.components().registry()), StandardCharsets.UTF_8);
      Files.writeString(job, yaml, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new RunctlException(
          ErrorCategory.USAGE,
          "cannot write " + job + ": " + e.getMessage(),
          "check that the folder is writable");
    }
    root.output().emit(new Written(job.toString(), scan.script(), target.label()));
    return ExitCodes.OK;
  }
}
