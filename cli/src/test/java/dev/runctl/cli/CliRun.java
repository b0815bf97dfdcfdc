package dev.runctl.cli;

import dev.runctl.engine.spec.fixtures.FixtureTargets;
import java.io.PrintWriter;
import java.io.StringWriter;

/** One invocation of the command line with captured output, over the fixture registry. */
record CliRun(int exitCode, String out, String err) {
  static CliRun of(String... args) {
    return with(Components.of(FixtureTargets.registry()), args);
  }

  static CliRun with(Components components, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        RunctlCommand.commandLine(components, new PrintWriter(out), new PrintWriter(err))
            .execute(args);
    return new CliRun(code, out.toString(), err.toString());
  }
}
