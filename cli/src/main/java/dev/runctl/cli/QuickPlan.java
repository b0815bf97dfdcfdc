package dev.runctl.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A lighter start-up path for the command people run most while editing a spec: {@code runctl plan
 * FILE} with only the global options. Building picocli's model (reflection over every command's
 * annotations) costs more than planning itself, so when the arguments are exactly of this simple
 * form, {@link Main} runs {@link PlanCommand#plan} directly. Anything else, help and every
 * malformed argument included, goes through picocli; a test checks that both paths print the same.
 */
record QuickPlan(Path file, Output.Mode mode, boolean debug) {

  /** The invocation, when {@code args} are {@code plan FILE} plus simple global options. */
  static Optional<QuickPlan> parse(String[] args) {
    Path file = null;
    boolean sawPlan = false;
    Output.Mode mode = Output.Mode.TEXT;
    boolean debug = false;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--debug")) {
        debug = true;
      } else if (a.equals("--output") || a.equals("--state-dir")) {
        if (i + 1 >= args.length || args[i + 1].startsWith("-")) {
          return Optional.empty();
        }
        String value = args[++i];
        if (a.equals("--output")) {
          Optional<Output.Mode> m = mode(value);
          if (m.isEmpty()) {
            return Optional.empty();
          }
          mode = m.get();
        }
      } else if (a.startsWith("--output=")) {
        Optional<Output.Mode> m = mode(a.substring("--output=".length()));
        if (m.isEmpty()) {
          return Optional.empty();
        }
        mode = m.get();
      } else if (a.startsWith("--state-dir=") && a.length() > "--state-dir=".length()) {
        continue;
      } else if (a.startsWith("-") || a.isEmpty()) {
        return Optional.empty();
      } else if (!sawPlan) {
        if (!a.equals("plan")) {
          return Optional.empty();
        }
        sawPlan = true;
      } else if (file == null) {
        file = Path.of(a);
      } else {
        return Optional.empty();
      }
    }
    return file == null ? Optional.empty() : Optional.of(new QuickPlan(file, mode, debug));
  }

  private static Optional<Output.Mode> mode(String value) {
    return switch (value.toLowerCase(java.util.Locale.ROOT)) {
      case "text" -> Optional.of(Output.Mode.TEXT);
      case "json" -> Optional.of(Output.Mode.JSON);
      default -> Optional.empty();
    };
  }

  int run(Components components, PrintWriter out, PrintWriter err) {
    Output output = new Output(mode, out, err);
    try {
      return PlanCommand.plan(components, output, file);
    } catch (RuntimeException e) {
      return ErrorHandler.report(e, output, debug);
    }
  }
}
