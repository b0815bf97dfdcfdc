package dev.runctl.cli;

import java.io.PrintWriter;
import java.nio.charset.Charset;

/** The {@code runctl} program: the only place that exits the JVM. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    Charset cs = Charset.defaultCharset();
    PrintWriter out = new PrintWriter(new java.io.OutputStreamWriter(System.out, cs), true);
    PrintWriter err = new PrintWriter(new java.io.OutputStreamWriter(System.err, cs), true);
    Components components = Components.standard();
    int code =
        QuickPlan.parse(args)
            .map(plan -> plan.run(components, out, err))
            .orElseGet(() -> RunctlCommand.commandLine(components, out, err).execute(args));
    out.flush();
    err.flush();
    System.exit(code);
  }
}
