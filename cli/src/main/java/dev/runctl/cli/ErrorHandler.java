package dev.runctl.cli;

import dev.runctl.engine.IoProblems;
import dev.runctl.engine.RunctlException;
import java.util.Optional;
import picocli.CommandLine;

/**
 * Turns what goes wrong into a message and an exit code, never a stack trace unless {@code
 * --debug}: usage errors exit 2 with the problem and where to read more; a {@link CliException}
 * exits with its code; any other {@link RunctlException} is a user-facing failure (2); anything
 * else is a bug in runctl, said as such (1).
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
    if (e instanceof CommandLine.UnmatchedArgumentException u && !u.getSuggestions().isEmpty()) {
      hint = "did you mean " + String.join(" or ", u.getSuggestions()) + "? " + hint;
    }
    out.error(e.getMessage(), Optional.of(hint), e, debugRequested(args));
    return ExitCodes.INVALID;
  }

  @Override
  public int handleExecutionException(
      Exception e, CommandLine cl, CommandLine.ParseResult parseResult) {
    return report(e, root.output(), root.debug());
  }

  /** Prints {@code e} as the user should see it and answers the exit code. */
  static int report(Exception e, Output out, boolean debug) {
    if (e instanceof CliException c) {
      out.error(c, debug);
      return c.exitCode();
    }
    if (e instanceof RunctlException r) {
      out.error(r, debug);
      return ExitCodes.INVALID;
    }
    if (e instanceof InterruptedException) {
      out.error("interrupted", Optional.empty(), e, debug);
      return ExitCodes.INTERRUPTED;
    }
    Optional<IoProblems.Known> machine = IoProblems.of(e, Optional.empty());
    if (machine.isPresent()) {
      // not a bug: the machine ran out of something (disk space, file descriptors)
      String m = String.valueOf(e.getMessage());
      out.error(
          m.contains(machine.get().reason()) ? m : m + " (" + machine.get().reason() + ")",
          Optional.of(
              machine
                  .get()
                  .then("run the command again (a run continues with `runctl resume RUN_ID`)")),
          e,
          debug);
      return ExitCodes.FAILED;
    }
    out.error(
        "internal error: " + e,
        Optional.of("this is a bug in runctl; run again with --debug and report the output"),
        e,
        debug);
    return ExitCodes.FAILED;
  }

  @Override
  public int getExitCode(Throwable t) {
    return t instanceof CliException c ? c.exitCode() : ExitCodes.FAILED;
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
