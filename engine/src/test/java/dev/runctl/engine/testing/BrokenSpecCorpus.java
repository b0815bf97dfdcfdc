package dev.runctl.engine.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runctl.engine.plan.LoadResult;
import dev.runctl.engine.plan.Planner;
import dev.runctl.engine.registry.Registry;
import dev.runctl.engine.spec.SpecLoader;
import dev.runctl.engine.spi.Diagnostic;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A folder of broken specs: every {@code NAME.yaml} must yield exactly the diagnostics in {@code
 * NAME.expected} (rendered as runctl prints them; {@code FILE} stands for the spec's path). Set
 * {@code RUNCTL_RECORD=1} to write missing expectation files, then read them. The engine's corpus
 * runs with fixture step types, the CLI's with the shipped registry.
 */
public final class BrokenSpecCorpus {
  private final Path dir;
  private final Registry registry;

  public BrokenSpecCorpus(Path dir, Registry registry) {
    this.dir = dir;
    this.registry = registry;
  }

  /** The names of the folder's specs, sorted. */
  public static Stream<String> names(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".yaml"))
          .map(n -> n.substring(0, n.length() - ".yaml".length()))
          .sorted()
          .toList()
          .stream();
    }
  }

  /** Plans {@code NAME.yaml} and compares its diagnostics with {@code NAME.expected}. */
  public void check(String name) throws IOException {
    Path spec = dir.resolve(name + ".yaml");
    LoadResult result = new Planner(registry).plan(new SpecLoader(registry).load(spec));
    assertThat(result).isInstanceOf(LoadResult.Invalid.class);
    String actual =
        result.diagnostics().stream().map(Diagnostic::render).collect(Collectors.joining("\n"))
            + "\n";
    actual = actual.replace(spec.toString(), "FILE");
    Path expectedFile = dir.resolve(name + ".expected");
    if (!Files.exists(expectedFile) && System.getenv("RUNCTL_RECORD") != null) {
      Files.writeString(expectedFile, actual, StandardCharsets.UTF_8);
    }
    assertThat(expectedFile).as("expectation file for " + name).exists();
    assertThat(actual).isEqualTo(Files.readString(expectedFile, StandardCharsets.UTF_8));
  }
}
