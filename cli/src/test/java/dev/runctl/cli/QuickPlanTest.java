package dev.runctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runctl.engine.spec.fixtures.FixtureTargets;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QuickPlanTest {
  @TempDir Path dir;

  @Test
  void takesOnlyPlanWithASingleFileAndSimpleGlobalOptions() {
    assertThat(QuickPlan.parse(new String[] {"plan", "a.yaml"}))
        .contains(new QuickPlan(Path.of("a.yaml"), Output.Mode.TEXT, false));
    assertThat(QuickPlan.parse(new String[] {"--output", "json", "plan", "a.yaml", "--debug"}))
        .contains(new QuickPlan(Path.of("a.yaml"), Output.Mode.JSON, true));
    assertThat(QuickPlan.parse(new String[] {"plan", "--state-dir=s", "a.yaml", "--output=JSON"}))
        .contains(new QuickPlan(Path.of("a.yaml"), Output.Mode.JSON, false));
    for (String[] other :
        List.of(
            new String[] {},
            new String[] {"plan"},
            new String[] {"plan", "--help"},
            new String[] {"plan", "a.yaml", "b.yaml"},
            new String[] {"plan", "-"},
            new String[] {"plan", "a.yaml", "--output", "yaml"},
            new String[] {"plan", "a.yaml", "--output"},
            new String[] {"plan", "a.yaml", "--state-dir"},
            new String[] {"plan", "a.yaml", "--verbose"},
            new String[] {"apply", "a.yaml"},
            new String[] {"schema"})) {
      assertThat(QuickPlan.parse(other)).as(String.join(" ", other)).isEmpty();
    }
  }

  @Test
  void printsExactlyWhatThePicocliPathPrints() throws IOException {
    Files.createDirectories(dir.resolve("w"));
    Files.writeString(dir.resolve("w/t.py"), "\n");
    Path ok = dir.resolve("ok.yaml");
    Files.writeString(
        ok,
        "version: 1\nname: j\nworkdir: w\nsteps:\n  - {id: t, uses: train, with: {script: t.py}}\n");
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, "version: 1\nname: J\nsteps:\n  - {id: t, uses: trian}\n");
    for (List<String> args :
        List.of(
            List.of("plan", ok.toString()),
            List.of("plan", ok.toString(), "--output", "json"),
            List.of("plan", bad.toString()),
            List.of("--output=json", "plan", bad.toString()),
            List.of("plan", dir.resolve("missing.yaml").toString()))) {
      String[] a = args.toArray(String[]::new);
      CliRun slow = CliRun.of(a);
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      int code =
          QuickPlan.parse(a)
              .orElseThrow()
              .run(
                  Components.of(FixtureTargets.registry()),
                  new PrintWriter(out),
                  new PrintWriter(err));
      assertThat(new CliRun(code, out.toString(), err.toString()))
          .as(args.toString())
          .isEqualTo(slow);
    }
  }
}
