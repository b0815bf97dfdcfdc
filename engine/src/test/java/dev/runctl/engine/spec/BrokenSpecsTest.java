package dev.runctl.engine.spec;

import dev.runctl.engine.spec.fixtures.FixtureTargets;
import dev.runctl.engine.testing.BrokenSpecCorpus;
import java.io.IOException;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The engine's corpus of broken specs ({@link BrokenSpecCorpus}), those whose diagnostics come from
 * the engine alone (the workdir, required files) with fixture step types; the CLI's {@code
 * BrokenSpecsTest} runs the corpus whose diagnostics come from the shipped step types' and
 * providers' settings.
 */
class BrokenSpecsTest {
  static final Path DIR = Path.of("src/test/resources/specs/broken");

  static Stream<String> specs() throws IOException {
    return BrokenSpecCorpus.names(DIR);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("specs")
  void yieldsExactlyTheExpectedDiagnostics(String name) throws IOException {
    new BrokenSpecCorpus(DIR, FixtureTargets.registry()).check(name);
  }
}
