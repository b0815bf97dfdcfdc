package dev.runctl.cli;

import dev.runctl.cli.QuickShapes.Args;
import dev.runctl.cli.QuickShapes.Opt;
import dev.runctl.cli.QuickShapes.Shape;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A lighter start-up path for every command: building picocli's model (reflection over each
 * command's annotations, on a cold JVM) takes about 90 ms, more than {@code plan}, {@code status}
 * or {@code runs} take themselves. When the arguments are of the plain forms below, {@link Main}
 * binds them here and calls the command directly: the global options ({@code --output}, {@code
 * --state-dir}, {@code --debug}, {@code --no-color}) anywhere, the command's name, its own options
 * (each at most once, a value as the next argument or after {@code =}) and its positional
 * arguments. Anything else goes through picocli, which says what is wrong: help, an unknown or
 * repeated option, a value that does not convert, a missing or extra argument, {@code --}, an
 * {@code @FILE} of arguments. The commands and what each takes are {@link QuickShapes}; {@code
 * QuickCommandTest} checks that the options here are exactly picocli's and that both paths print
 * the same.
 */
final class QuickCommand {
  private final Shape shape;
  private final Args args;
  private final Output.Mode mode;
  private final Path stateDir;
  private final boolean debug;
  private final boolean noColor;

  private QuickCommand(
      Shape shape, Args args, Output.Mode mode, Path stateDir, boolean debug, boolean noColor) {
    this.shape = shape;
    this.args = args;
    this.mode = mode;
    this.stateDir = stateDir;
    this.debug = debug;
    this.noColor = noColor;
  }

  /**
   * The invocation, when {@code args} are of the plain forms; {@code stateDirEnv} is the value of
   * {@code RUNCTL_STATE_DIR} (null when unset).
   */
  static Optional<QuickCommand> parse(String[] args, String stateDirEnv) {
    Output.Mode mode = null;
    String stateDir = null;
    boolean debug = false;
    boolean noColor = false;
    Shape shape = null;
    Map<String, String> options = new HashMap<>();
    List<String> positionals = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.isEmpty() || a.equals("-") || a.equals("--") || a.startsWith("@")) {
        return Optional.empty(); // "@FILE" is picocli's argument file
      }
      if (!a.startsWith("-")) {
        if (shape == null) {
          shape = QuickShapes.SHAPES.get(a);
          if (shape == null) {
            return Optional.empty();
          }
        } else {
          positionals.add(a);
        }
        continue;
      }
      int eq = a.startsWith("--") ? a.indexOf('=') : -1;
      String name = eq < 0 ? a : a.substring(0, eq);
      String inline = eq < 0 ? null : a.substring(eq + 1);
      if (name.equals("--debug")) {
        if (debug || inline != null) {
          return Optional.empty();
        }
        debug = true;
        continue;
      }
      if (name.equals("--no-color")) {
        if (noColor || inline != null) {
          return Optional.empty();
        }
        noColor = true;
        continue;
      }
      Opt opt =
          name.equals("--output") || name.equals("--state-dir")
              ? Opt.value(name)
              : shape == null ? null : find(shape, name);
      if (opt == null) {
        return Optional.empty();
      }
      String value = null;
      if (opt.takesValue()) {
        value = inline;
        if (value == null) {
          if (i + 1 >= args.length || args[i + 1].startsWith("-")) {
            return Optional.empty();
          }
          value = args[++i];
        }
        if (value.isEmpty()) {
          return Optional.empty();
        }
      } else if (inline != null) {
        return Optional.empty();
      }
      String key = opt.names().get(0);
      if (key.equals("--output")) {
        if (mode != null || (mode = Output.Mode.named(value).orElse(null)) == null) {
          return Optional.empty();
        }
      } else if (key.equals("--state-dir")) {
        if (stateDir != null) {
          return Optional.empty();
        }
        stateDir = value;
      } else if (options.put(key, value == null ? "" : value) != null) {
        return Optional.empty();
      }
    }
    if (shape == null
        || positionals.size() < shape.minPositionals()
        || positionals.size() > shape.maxPositionals()
        || !integer(options.get("--parallelism"))
        || !integer(options.get("-n"))
        || (options.containsKey("--target")
            && QuickShapes.provider(options.get("--target")) == null)) {
      return Optional.empty();
    }
    if (stateDir == null) {
      if (stateDirEnv != null && stateDirEnv.isEmpty()) {
        return Optional.empty(); // what an empty variable means is picocli's to say
      }
      stateDir = stateDirEnv == null ? RunctlCommand.DEFAULT_STATE_DIR : stateDirEnv;
    }
    return Optional.of(
        new QuickCommand(
            shape,
            new Args(options, positionals),
            mode == null ? Output.Mode.TEXT : mode,
            Path.of(stateDir),
            debug,
            noColor));
  }

  private static Opt find(Shape shape, String name) {
    for (Opt o : shape.options()) {
      if (o.names().contains(name)) {
        return o;
      }
    }
    return null;
  }

  /**
   * Null or a plain decimal int (no sign but minus, no leading zero): picocli reads it the same.
   */
  private static boolean integer(String value) {
    return value == null || value.matches("-?(0|[1-9][0-9]{0,8})");
  }

  int run(Components components, PrintWriter out, PrintWriter err) {
    RunctlCommand root = new RunctlCommand(components, mode, stateDir, debug, noColor, out, err);
    try {
      return shape.bind().apply(args, root).call();
    } catch (Exception e) {
      return ErrorHandler.report(e, root.output(), debug);
    }
  }
}
