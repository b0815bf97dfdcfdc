package dev.runctl.cli;

import dev.runctl.engine.testing.BrokenSpecCorpus;
import java.io.IOException;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The CLI's corpus of broken specs ({@link BrokenSpecCorpus}), loaded with the shipped registry, so
 * that each step type's and provider's own settings schema, hints and checks give the diagnostics.
 */
class BrokenSpecsTest {
  static final Path DIR = Path.of("src/test/resources/specs/broken");

  static Stream<String> specs() throws IOException {
    return BrokenSpecCorpus.names(DIR);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("specs")
  void yieldsExactlyTheExpectedDiagnostics(String name) throws IOException {
    new BrokenSpecCorpus(DIR, Components.standardRegistry()).check(name);
  }
}
