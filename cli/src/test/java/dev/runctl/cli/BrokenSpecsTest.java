package dev.runctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runctl.engine.plan.LoadResult;
import dev.runctl.engine.spec.SpecLoader;
import dev.runctl.engine.spi.Diagnostic;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The corpus of broken specs: every {@code broken/NAME.yaml} must yield exactly the diagnostics in
 * {@code broken/NAME.expected} (rendered as runctl prints them; {@code FILE} stands for the spec's
 * path). Set {@code RUNCTL_RECORD=1} to write missing expectation files, then read them. The specs
 * are loaded with the shipped registry, so that each step type's and provider's own settings
 * schema, hints and checks give the diagnostics.
 */
class BrokenSpecsTest {
  static final Path DIR = Path.of("src/test/resources/specs/broken");

  static Stream<String> specs() throws IOException {
    try (Stream<Path> files = Files.list(DIR)) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".yaml"))
          .map(n -> n.substring(0, n.length() - ".yaml".length()))
          .sorted()
          .toList()
          .stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("specs")
  void yieldsExactlyTheExpectedDiagnostics(String name) throws IOException {
    Path spec = DIR.resolve(name + ".yaml");
    LoadResult result =
        new dev.runctl.engine.plan.Planner(Components.standardRegistry())
            .plan(new SpecLoader(Components.standardRegistry()).load(spec));
    assertThat(result).isInstanceOf(LoadResult.Invalid.class);
    String actual = render(result.diagnostics()).replace(spec.toString(), "FILE");
    Path expectedFile = DIR.resolve(name + ".expected");
    if (!Files.exists(expectedFile) && System.getenv("RUNCTL_RECORD") != null) {
      Files.writeString(expectedFile, actual, StandardCharsets.UTF_8);
    }
    assertThat(expectedFile).as("expectation file for " + name).exists();
    assertThat(actual).isEqualTo(Files.readString(expectedFile, StandardCharsets.UTF_8));
  }

  static String render(List<Diagnostic> diagnostics) {
    return diagnostics.stream().map(Diagnostic::render).collect(Collectors.joining("\n")) + "\n";
  }
}
