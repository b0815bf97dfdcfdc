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
    int code = RunctlCommand.commandLine(Components.standard(), out, err).execute(args);
    out.flush();
    err.flush();
    System.exit(code);
  }
}
