package dev.runctl.cli;

import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.util.Locale;

/** The {@code runctl} program: the only place that exits the JVM. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(run(Components.standard(), args));
  }

  /** Runs one invocation on this process's stdout and stderr; answers its exit code. */
  static int run(Components components, String[] args) {
    // Numbers and times in output, logs and the journal read the same in every locale (12.3 MB,
    // not 12,3 MB): runctl is not localized, and tools and people parse what it writes.
    Locale.setDefault(Locale.Category.FORMAT, Locale.ROOT);
    Charset cs = Charset.defaultCharset();
    // stdout is flushed by Output after each event (and here at the end), not by every println:
    // a 24 MB log printed by `runctl logs` is written in large pieces, not a line at a time.
    PrintWriter out = new PrintWriter(new java.io.OutputStreamWriter(System.out, cs), false);
    PrintWriter err = new PrintWriter(new java.io.OutputStreamWriter(System.err, cs), true);
    int code = execute(components, args, out, err);
    out.flush();
    err.flush();
    return code;
  }

  /** Runs one invocation: through {@link QuickCommand} when it can, else through picocli. */
  static int execute(Components components, String[] args, PrintWriter out, PrintWriter err) {
    return QuickCommand.parse(args, System.getenv("RUNCTL_STATE_DIR"))
        .map(quick -> quick.run(components, out, err))
        .orElseGet(() -> RunctlCommand.commandLine(components, out, err).execute(args));
  }
}
