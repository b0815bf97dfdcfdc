package dev.runctl.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.BiFunction;

/**
 * A lighter start-up path for every command: building picocli's model (reflection over each
 * command's annotations, on a cold JVM) takes about 90 ms, more than {@code plan}, {@code status}
 * or {@code runs} take themselves. When the arguments are of the plain forms below, {@link Main}
 * binds them here and calls the command directly: the global options ({@code --output}, {@code
 * --state-dir}, {@code --debug}, {@code --no-color}) anywhere, the command's name, its own options
 * (each at most once, a value as the next argument or after {@code =}) and its positional
 * arguments. Anything else goes through picocli, which says what is wrong: help, an unknown or
 * repeated option, a value that does not convert, a missing or extra argument, {@code --}, an
 * {@code @FILE} of arguments. {@code QuickCommandTest} checks that the options here are exactly
 * picocli's and that both paths print the same.
 */
final class QuickCommand {
  /** One option of a command: its names (the first one is its key) and whether it takes a value. */
  record Opt(boolean takesValue, List<String> names) {
    static Opt flag(String... names) {
      return new Opt(false, List.of(names));
    }

    static Opt value(String... names) {
      return new Opt(true, List.of(names));
    }
  }

  /** The arguments of one invocation, by option key and position. */
  record Args(Map<String, String> options, List<String> positionals) {
    Optional<String> option(String key) {
      return Optional.ofNullable(options.get(key));
    }

    boolean flag(String key) {
      return options.containsKey(key);
    }

    String positional(int i) {
      return i < positionals.size() ? positionals.get(i) : null;
    }
  }

  /** What a command takes here, and how its arguments become the command picocli would run. */
  record Shape(
      List<Opt> options,
      int minPositionals,
      int maxPositionals,
      BiFunction<Args, RunctlCommand, Callable<Integer>> bind) {}

  static final Map<String, Shape> SHAPES =
      Map.ofEntries(
          Map.entry(
              "completion",
              new Shape(
                  List.of(),
                  1,
                  1,
                  (a, root) -> {
                    CompletionCommand c = new CompletionCommand();
                    c.root = root;
                    c.shell = a.positional(0);
                    return c;
                  })),
          Map.entry(
              "init",
              new Shape(
                  List.of(Opt.value("--target"), Opt.flag("--force")),
                  0,
                  1,
                  (a, root) -> {
                    InitCommand c = new InitCommand();
                    c.root = root;
                    c.script = a.positional(0) == null ? null : Path.of(a.positional(0));
                    c.target =
                        a.option("--target")
                            .map(QuickCommand::provider)
                            .orElse(InitTemplate.Provider.LOCAL);
                    c.force = a.flag("--force");
                    return c;
                  })),
          Map.entry(
              "plan",
              new Shape(
                  List.of(Opt.value("--env"), Opt.value("--set"), Opt.flag("--check")),
                  1,
                  1,
                  (a, root) -> {
                    PlanCommand c = new PlanCommand();
                    c.root = root;
                    c.file = Path.of(a.positional(0));
                    c.overrides = OverrideOptions.of(a);
                    c.check = a.flag("--check");
                    return c;
                  })),
          Map.entry(
              "apply",
              new Shape(
                  List.of(
                      Opt.value("--run-id"),
                      Opt.value("--parallelism"),
                      Opt.value("--env"),
                      Opt.value("--set"),
                      Opt.flag("-q", "--quiet")),
                  1,
                  1,
                  (a, root) -> {
                    ApplyCommand c = new ApplyCommand();
                    c.root = root;
                    c.overrides = OverrideOptions.of(a);
                    c.quiet = a.flag("-q");
                    c.file = Path.of(a.positional(0));
                    c.runId = a.option("--run-id").orElse(null);
                    c.parallelism = a.option("--parallelism").map(Integer::valueOf).orElse(null);
                    return c;
                  })),
          Map.entry(
              "resume",
              new Shape(
                  List.of(
                      Opt.flag("--rerun-changed"),
                      Opt.value("--parallelism"),
                      Opt.flag("-q", "--quiet")),
                  0,
                  1,
                  (a, root) -> {
                    ResumeCommand c = new ResumeCommand();
                    c.root = root;
                    c.runId = a.positional(0);
                    c.rerunChanged = a.flag("--rerun-changed");
                    c.quiet = a.flag("-q");
                    c.parallelism = a.option("--parallelism").map(Integer::valueOf).orElse(null);
                    return c;
                  })),
          Map.entry(
              "runs",
              new Shape(
                  List.of(Opt.flag("--no-check", "--offline"), Opt.flag("--all")),
                  0,
                  0,
                  (a, root) -> {
                    RunsCommand c = new RunsCommand();
                    c.root = root;
                    c.noCheck = a.flag("--no-check");
                    c.all = a.flag("--all");
                    return c;
                  })),
          Map.entry(
              "status",
              new Shape(
                  List.of(Opt.flag("--no-check", "--offline")),
                  0,
                  1,
                  (a, root) -> {
                    StatusCommand c = new StatusCommand();
                    c.root = root;
                    c.runId = a.positional(0);
                    c.noCheck = a.flag("--no-check");
                    return c;
                  })),
          Map.entry(
              "logs",
              new Shape(
                  List.of(Opt.flag("-f", "--follow"), Opt.value("-n", "--tail")),
                  0,
                  2,
                  (a, root) -> {
                    LogsCommand c = new LogsCommand();
                    c.root = root;
                    c.runId = a.positional(0);
                    c.step = a.positional(1);
                    c.follow = a.flag("-f");
                    c.tail = a.option("-n").map(Integer::valueOf).orElse(null);
                    return c;
                  })),
          Map.entry(
              "cancel",
              new Shape(
                  List.of(Opt.flag("--wait")),
                  0,
                  1,
                  (a, root) -> {
                    CancelCommand c = new CancelCommand();
                    c.root = root;
                    c.runId = a.positional(0);
                    c.waitForEnd = a.flag("--wait");
                    return c;
                  })),
          Map.entry(
              "destroy",
              new Shape(
                  List.of(),
                  1,
                  1,
                  (a, root) -> {
                    DestroyCommand c = new DestroyCommand();
                    c.root = root;
                    c.runId = a.positional(0);
                    return c;
                  })),
          Map.entry(
              "report",
              new Shape(
                  List.of(),
                  1,
                  1,
                  (a, root) -> {
                    ReportCommand c = new ReportCommand();
                    c.root = root;
                    c.runId = a.positional(0);
                    return c;
                  })),
          Map.entry(
              "schema",
              new Shape(
                  List.of(),
                  0,
                  0,
                  (a, root) -> {
                    SchemaCommand c = new SchemaCommand();
                    c.root = root;
                    return c;
                  })));

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
          shape = SHAPES.get(a);
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
        || (options.containsKey("--target") && provider(options.get("--target")) == null)) {
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

  /** The provider --target names in any case, as picocli reads it; null when it names none. */
  private static InitTemplate.Provider provider(String value) {
    for (InitTemplate.Provider p : InitTemplate.Provider.values()) {
      if (p.name().equalsIgnoreCase(value)) {
        return p;
      }
    }
    return null;
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
