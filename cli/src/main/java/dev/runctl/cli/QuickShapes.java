package dev.runctl.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.BiFunction;

/**
 * The commands {@link QuickCommand} binds without picocli: for each, the options and the number of
 * positional arguments it takes, and how they set the fields of the command picocli would create.
 */
final class QuickShapes {
  private QuickShapes() {}

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
                            .map(QuickShapes::provider)
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

  /** The provider --target names in any case, as picocli reads it; null when it names none. */
  static InitTemplate.Provider provider(String value) {
    for (InitTemplate.Provider p : InitTemplate.Provider.values()) {
      if (p.name().equalsIgnoreCase(value)) {
        return p;
      }
    }
    return null;
  }
}
