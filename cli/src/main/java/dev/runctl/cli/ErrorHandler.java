package dev.runctl.cli;

import dev.runctl.engine.ErrorCategory;
import dev.runctl.engine.IoProblems;
import dev.runctl.engine.RunctlException;
import dev.runctl.engine.state.RunStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.util.Optional;
import picocli.CommandLine;

/**
 * Turns what goes wrong into a message and an exit code, never a stack trace unless {@code
 * --debug}. The one place that maps failures to exit codes: a {@link RunctlException} exits with
 * the code of its {@link ErrorCategory} ({@link #exitCode(ErrorCategory)}), a run with the code of
 * how it ended ({@link #exitCode(RunStatus)}), usage errors picocli finds with 2. A JDK exception
 * that reaches a command untranslated is translated here: an interruption exits 130, an I/O failure
 * is runctl's own state that could not be read or written (5), anything else is a bug in runctl,
 * said as such (1).
 */
final class ErrorHandler
    implements CommandLine.IExecutionExceptionHandler,
        CommandLine.IParameterExceptionHandler,
        CommandLine.IExitCodeExceptionMapper {
  private final RunctlCommand root;

  ErrorHandler(RunctlCommand root) {
    this.root = root;
  }

  @Override
  public int handleParseException(CommandLine.ParameterException e, String[] args) {
    CommandLine cl = e.getCommandLine();
    String name = cl.getCommandSpec().qualifiedName();
    boolean json = args != null && jsonRequested(args);
    Output out = new Output(json ? Output.Mode.JSON : Output.Mode.TEXT, cl.getOut(), cl.getErr());
    String hint = "see '" + name + " --help' for usage and examples";
    if (e instanceof CommandLine.UnmatchedArgumentException
        && cl.getParent() == null
        && !cl.getSubcommands().isEmpty()) {
      // an unknown command at the top: say which there are
      hint =
          "the commands are "
              + String.join(", ", new java.util.TreeSet<>(cl.getSubcommands().keySet()))
              + "; "
              + hint;
    }
    if (e instanceof CommandLine.UnmatchedArgumentException u && !u.getSuggestions().isEmpty()) {
      hint = "did you mean " + String.join(" or ", u.getSuggestions()) + "? " + hint;
    }
    out.error(e.getMessage(), Optional.of(hint), e, debugRequested(args));
    return exitCode(ErrorCategory.USAGE);
  }

  @Override
  public int handleExecutionException(
      Exception e, CommandLine cl, CommandLine.ParseResult parseResult) {
    return report(e, root.output(), root.debug());
  }

  /** Prints {@code e} as the user should see it and answers the exit code. */
  static int report(Exception e, Output out, boolean debug) {
    RunctlException r = translate(e);
    if (r == null) {
      out.error(
          "internal error: " + e,
          Optional.of("this is a bug in runctl; run again with --debug and report the output"),
          e,
          debug);
      return ExitCodes.FAILED;
    }
    out.error(r.getMessage(), r.hint(), e, debug);
    return exitCode(r.category());
  }

  /** {@code e} as a runctl error, or null for a bug. */
  static RunctlException translate(Throwable e) {
    if (e instanceof RunctlException r) {
      return r;
    }
    if (e instanceof InterruptedException) {
      return new RunctlException(ErrorCategory.INTERRUPTED, "interrupted", null, e);
    }
    Optional<IoProblems.Known> machine = IoProblems.of(e, Optional.empty());
    if (machine.isPresent()) {
      // the machine ran out of something (disk space, file descriptors): runctl could not work
      String m = String.valueOf(e.getMessage());
      return new RunctlException(
          ErrorCategory.STATE,
          m.contains(machine.get().reason()) ? m : m + " (" + machine.get().reason() + ")",
          machine.get().then("run the command again (a run continues with `runctl resume RUN_ID`)"),
          e);
    }
    IOException io =
        e instanceof UncheckedIOException u ? u.getCause() : e instanceof IOException i ? i : null;
    if (io != null) {
      String what =
          io instanceof FileSystemException f && f.getFile() != null
              ? f.getFile()
                  + ": "
                  + (f.getReason() != null ? f.getReason() : io.getClass().getSimpleName())
              : "its files: "
                  + (io.getMessage() != null ? io.getMessage() : io.getClass().getSimpleName());
      return new RunctlException(
          ErrorCategory.STATE,
          "runctl could not read or write " + what,
          "check that the state folder is writable and the disk is not full",
          e);
    }
    return null;
  }

  /** The exit code of each kind of failure: the command-line contract in one place. */
  static int exitCode(ErrorCategory category) {
    return switch (category) {
      case USAGE -> ExitCodes.INVALID;
      case ENVIRONMENT, RUN_FAILED -> ExitCodes.FAILED;
      case LOCKED -> ExitCodes.LOCKED;
      case CHANGED_INPUTS -> ExitCodes.CHANGED_INPUTS;
      case INTERRUPTED -> ExitCodes.INTERRUPTED;
      case STATE -> ExitCodes.STATE;
    };
  }

  /** The exit code of apply or resume for a run that ended with {@code status}. */
  static int exitCode(RunStatus status) {
    return switch (status) {
      case SUCCEEDED -> ExitCodes.OK;
      case CANCELLED -> exitCode(ErrorCategory.INTERRUPTED);
      case FAILED, RUNNING -> exitCode(ErrorCategory.RUN_FAILED);
    };
  }

  @Override
  public int getExitCode(Throwable t) {
    RunctlException r = translate(t);
    return r == null ? ExitCodes.FAILED : exitCode(r.category());
  }

  private static boolean jsonRequested(String[] args) {
    for (int i = 0; i < args.length; i++) {
      if (args[i].equalsIgnoreCase("--output=json")
          || args[i].equals("--output")
              && i + 1 < args.length
              && args[i + 1].equalsIgnoreCase("json")) {
        return true;
      }
    }
    return false;
  }

  private static boolean debugRequested(String[] args) {
    return args != null && java.util.Arrays.asList(args).contains("--debug");
  }
}
