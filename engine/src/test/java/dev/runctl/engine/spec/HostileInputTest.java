package dev.runctl.engine.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.runctl.engine.plan.LoadResult;
import dev.runctl.engine.spec.fixtures.FixtureTargets;
import dev.runctl.engine.spi.Diagnostic;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile input ends in one diagnostic, quickly, never in an OutOfMemoryError or a stack overflow.
 * Each must take well under a second; the limit asserted is looser so that a busy machine does not
 * fail the build.
 */
class HostileInputTest {
  private static final Duration LIMIT = Duration.ofSeconds(5);
  @TempDir Path dir;

  private Diagnostic only(String name, byte[] content) throws IOException {
    Path file = dir.resolve(name);
    Files.write(file, content);
    LoadResult result =
        assertTimeoutPreemptively(
            LIMIT,
            () ->
                new dev.runctl.engine.plan.Planner(FixtureTargets.registry())
                    .plan(new SpecLoader(FixtureTargets.registry()).load(file)));
    assertThat(result).isInstanceOf(LoadResult.Invalid.class);
    List<Diagnostic> ds = result.diagnostics();
    assertThat(ds).hasSize(1);
    assertThat(ds.get(0).position().file()).isEqualTo(file.toString());
    return ds.get(0);
  }

  private Diagnostic only(String name, String content) throws IOException {
    return only(name, content.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aliasBombIsRefused() throws IOException {
    StringBuilder y =
        new StringBuilder(
            "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    for (int i = 1; i < 10; i++) {
      char prev = (char) ('a' + i - 1);
      char cur = (char) ('a' + i);
      y.append(cur).append(": &").append(cur).append(" [");
      for (int j = 0; j < 9; j++) {
        y.append(j == 0 ? "" : ",").append('*').append(prev);
      }
      y.append("]\n");
    }
    Diagnostic d = only("bomb.yaml", y.toString());
    assertThat(d.message()).isEqualTo("the spec uses more than 50 aliases to collections");
    assertThat(d.hint()).contains("write the values out");
  }

  @Test
  void aliasesBelowTheAliasLimitCannotMultiplyTheTree() throws IOException {
    StringBuilder y = new StringBuilder("a0: &a0 [1, 2]\n");
    for (int i = 1; i <= 24; i++) {
      y.append("a")
          .append(i)
          .append(": &a")
          .append(i)
          .append(" [*a")
          .append(i - 1)
          .append(", *a")
          .append(i - 1)
          .append("]\n");
    }
    Diagnostic d = only("doubling.yaml", y.toString());
    assertThat(d.message()).isEqualTo("the spec expands to more than 100000 values");
  }

  @Test
  void twentyThousandNestedBracketsAreRefusedBeforeParsing() throws IOException {
    Diagnostic d = only("deep.yaml", "a: " + "[".repeat(20_000) + "]".repeat(20_000) + "\n");
    assertThat(d.render())
        .startsWith(
            dir.resolve("deep.yaml")
                + ":1:104: error: the spec nests too deep: brackets nest deeper than 100 levels");
  }

  @Test
  void twentyThousandNestedBlockSequencesAreRefused() throws IOException {
    Diagnostic d = only("deep-block.yaml", "a:\n" + "- ".repeat(20_000) + "x\n");
    assertThat(d.message()).isEqualTo("the spec nests too deep: indentation is deeper than 400");
    assertThat(d.position().line()).isEqualTo(2);
  }

  @Test
  void deepMappingsWithinTheIndentLimitStopAtTheDepthLimit() throws IOException {
    StringBuilder y = new StringBuilder();
    for (int i = 0; i < 150; i++) {
      y.append(" ".repeat(i * 2)).append("k").append(i).append(":\n");
    }
    y.append(" ".repeat(300)).append("leaf\n");
    Diagnostic d = only("deep-map.yaml", y.toString());
    assertThat(d.message()).isEqualTo("the spec nests deeper than 64 levels");
  }

  @Test
  void hugeDocumentIsRefusedBeforeReading() throws IOException {
    StringBuilder y = new StringBuilder("version: 1\nname: big\nsteps:\n");
    while (y.length() < 3 << 20) {
      y.append("  - {id: s")
          .append(y.length())
          .append(", uses: run, with: {command: [\"true\"]}}\n");
    }
    Diagnostic d = only("huge.yaml", y.toString());
    assertThat(d.render())
        .isEqualTo(
            dir.resolve("huge.yaml")
                + ":1:1: error: the spec file is larger than 1 MiB; a job spec is a small YAML file\n  hint: check that this is the spec you meant");
  }

  @Test
  void binaryInputIsRefused() throws IOException {
    byte[] png = {
      (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'
    };
    Diagnostic d = only("image.yaml", png);
    assertThat(d.render())
        .isEqualTo(
            dir.resolve("image.yaml")
                + ":3:1: error: the spec file is binary, not YAML text (a NUL byte)\n  hint: name the job's .yaml file");
  }

  @Test
  void invalidUtf8IsRefused() throws IOException {
    byte[] latin1 = "name: caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1);
    Diagnostic d = only("latin1.yaml", latin1);
    assertThat(d.message()).isEqualTo("the spec file is not UTF-8 text");
    assertThat(d.position().line()).isEqualTo(1);
    assertThat(d.position().column()).isEqualTo(10);
  }

  @Test
  void aFolderOrAMissingFileIsADiagnostic() throws IOException {
    LoadResult folder =
        new dev.runctl.engine.plan.Planner(FixtureTargets.registry())
            .plan(new SpecLoader(FixtureTargets.registry()).load(dir));
    assertThat(folder.diagnostics().get(0).message()).isEqualTo("the spec file is a folder");
    LoadResult missing =
        new dev.runctl.engine.plan.Planner(FixtureTargets.registry())
            .plan(new SpecLoader(FixtureTargets.registry()).load(dir.resolve("nope.yaml")));
    assertThat(missing.diagnostics().get(0).message()).isEqualTo("the spec file does not exist");
  }

  @Test
  void aNamedPipeIsRefusedInsteadOfWaitedOnForever() throws Exception {
    Path fifo = dir.resolve("f.yaml");
    assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
    LoadResult result =
        assertTimeoutPreemptively(
            LIMIT,
            () ->
                new dev.runctl.engine.plan.Planner(FixtureTargets.registry())
                    .plan(new SpecLoader(FixtureTargets.registry()).load(fifo)));
    assertThat(result).isInstanceOf(LoadResult.Invalid.class);
    Diagnostic d = result.diagnostics().get(0);
    assertThat(d.message()).startsWith("the spec file is a named pipe (FIFO)");
    assertThat(d.hint()).contains("<(generate)");
  }

  @Test
  void moreThanOneDocumentIsRefused() throws IOException {
    Diagnostic d = only("two.yaml", "version: 1\n---\nversion: 1\n");
    assertThat(d.message()).isEqualTo("the spec holds more than one YAML document");
    assertThat(d.position().line()).isEqualTo(3);
  }
}
