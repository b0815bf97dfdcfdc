package dev.runctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runctl.engine.spec.fixtures.FixtureTargets;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

class QuickCommandTest {
  private static final Set<String> PICOCLI_OWN = Set.of("-h", "--help", "-V", "--version");

  @TempDir Path dir;

  private static boolean quick(String... args) {
    return QuickCommand.parse(args, null).isPresent();
  }

  @Test
  void takesThePlainFormsOnly() {
    for (String[] plain :
        List.of(
            new String[] {"plan", "a.yaml"},
            new String[] {"--output", "json", "plan", "a.yaml", "--debug"},
            new String[] {"plan", "--state-dir=s", "a.yaml", "--output=JSON"},
            new String[] {"plan", "a.yaml", "--env", "SEED=3", "--set=steps.s.timeout=1m"},
            new String[] {"apply", "a.yaml", "--parallelism", "4", "--run-id=r1"},
            new String[] {"apply", "a.yaml", "--parallelism=-1"},
            new String[] {"resume", "r1", "--rerun-changed"},
            new String[] {"runs", "--offline"},
            new String[] {"status", "r1", "--no-check", "--state-dir", "s"},
            new String[] {"logs", "r1", "train", "-f"},
            new String[] {"cancel", "--wait", "r1"},
            new String[] {"destroy", "r1"},
            new String[] {"schema"})) {
      assertThat(quick(plain)).as(String.join(" ", plain)).isTrue();
    }
    for (String[] other :
        List.of(
            new String[] {},
            new String[] {"plan"},
            new String[] {"plan", "--help"},
            new String[] {"plan", "a.yaml", "b.yaml"},
            new String[] {"plan", "-"},
            new String[] {"plan", "--", "a.yaml"},
            new String[] {"plan", "@args.txt"},
            new String[] {"plan", "a.yaml", "--output", "yaml"},
            new String[] {"plan", "a.yaml", "--output"},
            new String[] {"plan", "a.yaml", "--output", "json", "--output", "text"},
            new String[] {"plan", "a.yaml", "--state-dir"},
            new String[] {"plan", "a.yaml", "--verbose"},
            new String[] {"--no-check", "runs"},
            new String[] {"runs", "--no-check", "--offline"},
            new String[] {"runs", "extra"},
            new String[] {"apply", "a.yaml", "--parallelism", "two"},
            new String[] {"apply", "a.yaml", "--parallelism", "-1"},
            new String[] {"apply", "a.yaml", "--parallelism", "08"},
            new String[] {"apply", "a.yaml", "--parallelism", "+4"},
            new String[] {"apply", "a.yaml", "--run-id="},
            new String[] {"resume", "r1", "--rerun-changed=true"},
            new String[] {"logs", "r1", "train", "extra"},
            new String[] {"logs", "r1", "-fx"},
            new String[] {"help", "status"},
            new String[] {"--version"},
            new String[] {"stauts", "r1"})) {
      assertThat(quick(other)).as(String.join(" ", other)).isFalse();
    }
    assertThat(QuickCommand.parse(new String[] {"runs"}, "")).as("RUNCTL_STATE_DIR=''").isEmpty();
  }

  @Test
  void everyCommandTakesHereExactlyTheOptionsAndArgumentsPicocliTakes() {
    CommandLine cl =
        RunctlCommand.commandLine(
            Components.of(FixtureTargets.registry()),
            new PrintWriter(new StringWriter()),
            new PrintWriter(new StringWriter()));
    Map<String, CommandLine> commands = new TreeMap<>(cl.getSubcommands());
    commands.remove("help");
    assertThat(QuickShapes.SHAPES.keySet()).isEqualTo(commands.keySet());
    commands.forEach(
        (name, sub) -> {
          CommandSpec spec = sub.getCommandSpec();
          List<String> picocli = new ArrayList<>();
          for (OptionSpec o : spec.options()) {
            if (!o.inherited() && !PICOCLI_OWN.contains(o.longestName())) {
              picocli.add(List.of(o.names()) + (o.arity().max() > 0 ? " value" : " flag"));
            }
          }
          List<String> here = new ArrayList<>();
          QuickShapes.SHAPES
              .get(name)
              .options()
              .forEach(o -> here.add(o.names() + (o.takesValue() ? " value" : " flag")));
          assertThat(here).as(name).containsExactlyInAnyOrderElementsOf(picocli);
          int min = 0;
          int max = 0;
          for (PositionalParamSpec p : spec.positionalParameters()) {
            min += p.arity().min();
            max += p.arity().max();
          }
          QuickShapes.Shape shape = QuickShapes.SHAPES.get(name);
          assertThat(List.of(shape.minPositionals(), shape.maxPositionals()))
              .as(name + " positionals")
              .isEqualTo(List.of(min, max));
        });
  }

  @Test
  void printsExactlyWhatThePicocliPathPrints() throws IOException {
    Files.createDirectories(dir.resolve("w"));
    Files.writeString(dir.resolve("w/t.py"), "\n");
    Path ok = dir.resolve("ok.yaml");
    Files.writeString(
        ok,
        "version: 1\nname: j\nworkdir: w\nsteps:\n"
            + "  - {id: s, uses: run, with: {command: [sh, -c, 'echo hello']}}\n");
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, "version: 1\nname: J\nsteps:\n  - {id: t, uses: trian}\n");
    String state = dir.resolve("state").toString();
    Components components = Components.standard();
    assertThat(CliRun.with(components, "--state-dir", state, "apply", ok.toString()).exitCode())
        .isZero();
    String run;
    try (Stream<Path> runs = Files.list(dir.resolve("state/runs"))) {
      run = runs.findFirst().orElseThrow().getFileName().toString();
    }
    for (List<String> args :
        List.of(
            List.of("plan", ok.toString()),
            List.of("plan", ok.toString(), "--output", "json"),
            List.of("plan", bad.toString()),
            List.of("--output=json", "plan", bad.toString()),
            List.of("plan", dir.resolve("missing.yaml").toString()),
            List.of("plan", ok.toString(), "--set", "steps.s.timeout=7m", "--env", "A=1"),
            List.of("plan", ok.toString(), "--set", "steps.s.timeout=soon"),
            List.of("plan", ok.toString(), "--env", "NOEQUALS"),
            List.of("apply", bad.toString(), "--state-dir", state),
            List.of("apply", ok.toString(), "--parallelism=0", "--state-dir", state),
            List.of("--state-dir", state, "runs"),
            List.of("--state-dir", state, "runs", "--offline", "--output", "json"),
            List.of("--state-dir", state, "status", run),
            List.of("--state-dir", state, "status", run, "--output=json"),
            List.of("--state-dir", state, "status", "nope"),
            List.of("--output", "json", "--state-dir", state, "status", "nope"),
            List.of("--state-dir", state, "logs", run),
            List.of("--state-dir", state, "logs", run, "s", "--output", "json"),
            List.of("--state-dir", state, "logs", run, "s", "--tail", "1"),
            List.of("--state-dir", state, "logs", run, "--tail=-2"),
            List.of("--state-dir", state, "resume", "nope"),
            List.of("--state-dir", state, "cancel", run),
            List.of("--state-dir", state, "destroy", "nope"),
            List.of("schema"),
            // every command's JSON lines, through both paths
            List.of("--output", "json", "schema"),
            List.of("--state-dir", state, "--output", "json", "logs", run),
            List.of("--state-dir", state, "--output", "json", "resume", "nope"),
            List.of("--state-dir", state, "--output", "json", "cancel", run),
            List.of("--state-dir", state, "--output", "json", "destroy", "nope"),
            List.of("--output", "json", "plan", ok.toString(), "--set", "steps.s.timeout=x"))) {
      String[] a = args.toArray(String[]::new);
      CliRun slow = CliRun.with(components, a);
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      int code =
          QuickCommand.parse(a, null)
              .orElseThrow()
              .run(components, new PrintWriter(out), new PrintWriter(err));
      assertThat(new CliRun(code, out.toString(), err.toString()))
          .as(args.toString())
          .isEqualTo(slow);
    }
  }
}
