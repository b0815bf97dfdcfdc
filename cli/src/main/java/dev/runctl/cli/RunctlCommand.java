package dev.runctl.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * {@code runctl}: the root command. It holds the global options (inherited by every subcommand, so
 * they may be written before or after the subcommand's name) and the composition root. A subcommand
 * reaches them with {@code @ParentCommand RunctlCommand root} and then {@link #output()}, {@link
 * #components()}, {@link #stateDir()}, {@link #debug()}.
 */
@Command(
    name = "runctl",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
      "Declarative, resumable training runs on machines rented by the hour.",
      "A job spec (YAML) declares provision -> sync -> deps -> train -> verify -> teardown;"
          + " runctl checks it before a cent is spent, runs it with retries and timeouts,"
          + " journals every step, and resumes after any failure."
    },
    subcommands = {
      InitCommand.class,
      PlanCommand.class,
      ApplyCommand.class,
      ResumeCommand.class,
      RunsCommand.class,
      StatusCommand.class,
      ReportCommand.class,
      LogsCommand.class,
      CancelCommand.class,
      DestroyCommand.class,
      SchemaCommand.class,
      CompletionCommand.class,
      CommandLine.HelpCommand.class,
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  runctl init                                   # a commented job.yaml for this folder",
      "  runctl plan specs/examples/quickstart.yaml    # check a spec, show the plan",
      "  runctl apply specs/examples/quickstart.yaml   # run it",
      "  runctl runs                                   # list runs",
      "  runctl resume RUN_ID                          # continue after a failure",
      "  runctl plan --output json job.yaml            # the plan as JSON lines",
      "",
      "Exit codes: 0 ok, 1 a step failed, 2 invalid spec or usage, 3 run locked,",
      "4 changed inputs (resume), 130 interrupted (Ctrl+C, SIGTERM, SIGHUP)."
    })
public final class RunctlCommand implements Runnable {
  /** Where state lives when neither --state-dir nor RUNCTL_STATE_DIR says. */
  public static final String DEFAULT_STATE_DIR = ".runctl";

  @Spec CommandSpec spec;

  @Option(
      names = "--output",
      scope = ScopeType.INHERIT,
      paramLabel = "FORMAT",
      defaultValue = "text",
      converter = OutputModeConverter.class,
      description = "text (default) or json: one JSON object per line, each with a \"type\".")
  Output.Mode outputMode = Output.Mode.TEXT;

  @Option(
      names = "--state-dir",
      scope = ScopeType.INHERIT,
      paramLabel = "DIR",
      defaultValue = "${env:RUNCTL_STATE_DIR:-" + DEFAULT_STATE_DIR + "}",
      description = "Where runs are kept (default: ${DEFAULT-VALUE}; env RUNCTL_STATE_DIR).")
  Path stateDir;

  @Option(
      names = "--debug",
      scope = ScopeType.INHERIT,
      description = "Show stack traces of errors (for bug reports).")
  boolean debug;

  @Option(
      names = "--no-color",
      scope = ScopeType.INHERIT,
      description =
          "No colours in the output (also: the NO_COLOR variable set, or stdout not a terminal).")
  boolean noColor;

  private final Components components;
  private Output output;

  public RunctlCommand(Components components) {
    this.components = components;
  }

  /** The root of an invocation bound without picocli ({@link QuickCommand}). */
  RunctlCommand(
      Components components,
      Output.Mode outputMode,
      Path stateDir,
      boolean debug,
      boolean noColor,
      PrintWriter out,
      PrintWriter err) {
    this.components = components;
    this.outputMode = outputMode;
    this.stateDir = stateDir;
    this.debug = debug;
    this.noColor = noColor;
    this.output = new Output(outputMode, out, err).colour(Tone.wanted(noColor));
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  public Components components() {
    return components;
  }

  /**
   * The state folder; an error when the path names something that is not a folder (a file, say),
   * which would otherwise read as a state folder without runs.
   */
  public Path stateDir() {
    Path dir = stateDir == null ? Path.of(DEFAULT_STATE_DIR) : stateDir;
    if (java.nio.file.Files.exists(dir) && !java.nio.file.Files.isDirectory(dir)) {
      String env = System.getenv("RUNCTL_STATE_DIR");
      boolean fromEnv = env != null && !env.isEmpty() && Path.of(env).equals(dir);
      throw new dev.runctl.engine.RunctlException(
          dev.runctl.engine.ErrorCategory.USAGE,
          "the state folder "
              + dir
              + " is not a folder"
              + (fromEnv ? " (it comes from RUNCTL_STATE_DIR)" : ""),
          (fromEnv ? "set RUNCTL_STATE_DIR" : "pass --state-dir")
              + " to the folder that holds runctl's runs (it is made when it does not exist),"
              + " or leave it out for "
              + DEFAULT_STATE_DIR
              + " in the current folder");
    }
    return dir;
  }

  /** The user's index of runs (where each run's folder is). */
  RunIndex runIndex() {
    return components().runIndex();
  }

  /** Finds a run typed by id, prefix or {@code latest}, in this project first. */
  RunFinder runFinder() {
    return new RunFinder(
        new dev.runctl.engine.state.RunStore(stateDir()), runIndex(), sharedRuns());
  }

  private SharedRuns sharedRuns;

  /** The shared state of this invocation (RUNCTL_STATE, the runs' own stores). */
  SharedRuns sharedRuns() {
    if (sharedRuns == null) {
      sharedRuns = new SharedRuns(components::registry, components.sharedStateUri());
    }
    return sharedRuns;
  }

  public boolean debug() {
    return debug;
  }

  /** The output for this invocation, in the mode --output chose, on the command line's writers. */
  public Output output() {
    if (output == null) {
      CommandLine cl = spec.commandLine();
      output = new Output(outputMode, cl.getOut(), cl.getErr()).colour(Tone.wanted(noColor));
    }
    return output;
  }

  /**
   * The command line with runctl's error handling and exit codes, writing to {@code out} and {@code
   * err}: the entry point for {@link Main} and for tests.
   */
  public static CommandLine commandLine(Components components, PrintWriter out, PrintWriter err) {
    RunctlCommand root = new RunctlCommand(components);
    CommandLine cl = new CommandLine(root);
    cl.setOut(out);
    cl.setErr(err);
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    ErrorHandler handler = new ErrorHandler(root);
    cl.setExecutionExceptionHandler(handler);
    cl.setParameterExceptionHandler(handler);
    cl.setExitCodeExceptionMapper(handler);
    return cl;
  }

  /** Accepts text and json in any case, with a clear message otherwise. */
  static final class OutputModeConverter implements CommandLine.ITypeConverter<Output.Mode> {
    @Override
    public Output.Mode convert(String value) {
      return Output.Mode.named(value)
          .orElseThrow(
              () ->
                  new CommandLine.TypeConversionException(
                      "'" + value + "' is not an output format; use text or json"));
    }
  }
}
