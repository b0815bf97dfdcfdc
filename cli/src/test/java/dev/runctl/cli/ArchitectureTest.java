package dev.runctl.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.runctl.engine.registry.Registry;
import dev.runctl.engine.spi.StepType;
import dev.runctl.engine.spi.TargetProvider;
import dev.runctl.targets.aws.AwsSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * The shape of the code base: no package cycles, the engine depends on no step type, target or the
 * CLI, the SPI on no other engine package, and no engine source names a step type, a target
 * provider or an aws key (the engine composes their settings from what they declare).
 */
class ArchitectureTest {
  private static JavaClasses classes;

  private static final Pattern TEST_JAR = Pattern.compile(".*-tests\\.jar!/.*");

  @BeforeAll
  static void importClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            // under verify the modules' test classes arrive as *-tests.jar, not test-classes/
            .withImportOption(location -> !location.matches(TEST_JAR))
            .importPackages("dev.runctl");
  }

  @Test
  void noPackageCycles() {
    slices().matching("dev.runctl.(**)").should().beFreeOfCycles().check(classes);
  }

  @Test
  void theEngineKnowsNoStepTypeTargetOrCli() {
    noClasses()
        .that()
        .resideInAPackage("dev.runctl.engine..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.runctl.steps..", "dev.runctl.targets..", "dev.runctl.cli..")
        .check(classes);
  }

  @Test
  void theSpiSpeaksOnlyItsOwnTypes() {
    noClasses()
        .that()
        .resideInAPackage("dev.runctl.engine.spi..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.runctl.engine.spec..",
            "dev.runctl.engine.plan..",
            "dev.runctl.engine.exec..",
            "dev.runctl.engine.state..",
            "dev.runctl.engine.registry..",
            "dev.runctl.engine.manifest..",
            "tools.jackson..",
            "com.fasterxml..",
            "dev.failsafe..",
            "org.jgrapht..",
            "software.amazon..")
        .check(classes);
  }

  @Test
  void noEngineSourceNamesAStepTypeAProviderOrAnAwsKey() throws IOException {
    Registry shipped = Components.standardRegistry();
    Set<String> names = new TreeSet<>();
    shipped.stepTypes().stream().map(StepType::name).forEach(names::add);
    shipped.targets().stream().map(TargetProvider::name).forEach(names::add);
    JsonMapper.shared()
        .readTree(AwsSettings.SCHEMA.json())
        .get("properties")
        .propertyNames()
        .forEach(names::add);
    assertThat(names).contains("train", "aws", "max_price", "region");
    assertThat(literalsNaming(Path.of("../engine/src/main"), names))
        .as(
            "string literals in the engine that name a step type, a provider or an aws key; a"
                + " step type's or provider's settings belong in its own SettingsSchema")
        .isEmpty();
  }

  /**
   * The CLI decides nothing by a provider's name: what differs between targets is a capability the
   * provider declares ({@link TargetProvider#runsOnThisMachine}). Only the composition root, which
   * registers the providers, and {@code init}, whose templates are one per provider, name them.
   */
  @Test
  void noCliSourceOutsideTheCompositionRootNamesAProvider() throws IOException {
    Set<String> providers = new TreeSet<>();
    Components.standardRegistry().targets().stream()
        .map(TargetProvider::name)
        .forEach(providers::add);
    assertThat(providers).contains("local", "aws", "ssh", "slurm");
    Set<String> allowed =
        Set.of(
            "dev/runctl/cli/Components.java",
            "dev/runctl/cli/InitCommand.java",
            "dev/runctl/cli/InitTemplate.java");
    assertThat(literalsNaming(Path.of("src/main/java"), providers))
        .as("string literals in the CLI that name a target provider; declare a capability instead")
        .filteredOn(hit -> allowed.stream().noneMatch(hit::startsWith))
        .isEmpty();
  }

  @Test
  void aStepTypeShownInAHintIsCaughtAsWellAsABareName(@org.junit.jupiter.api.io.TempDir Path dir)
      throws IOException {
    Files.writeString(
        dir.resolve("Hints.java"),
        "class Hints {\n  String a = \"name the step type, e.g. uses: train\";\n"
            + "  String b = \"aws\";\n  String c = \"uses: something-else\";\n}\n");
    assertThat(literalsNaming(dir, Set.of("train", "aws")))
        .containsExactly(
            "Hints.java:2: \"name the step type, e.g. uses: train\"", "Hints.java:3: \"aws\"");
  }

  /**
   * {@code "name"} literals (Java and JSON) under {@code root} that are one of {@code names}, or
   * that show one in a spec example ({@code "e.g. uses: train"}, {@code "target: aws"}).
   */
  static List<String> literalsNaming(Path root, Set<String> names) throws IOException {
    Pattern literal = Pattern.compile("\"((?:[^\"\\\\\\n]|\\\\.)*)\"");
    Pattern example = Pattern.compile("\\b(?:uses|target|type|provider):\\s*([\\w-]+)");
    List<String> found = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
        List<String> lines = Files.readAllLines(f);
        for (int i = 0; i < lines.size(); i++) {
          Matcher m = literal.matcher(lines.get(i));
          while (m.find()) {
            Matcher shown = example.matcher(m.group(1));
            boolean showsOne = false;
            while (shown.find()) {
              showsOne |= names.contains(shown.group(1));
            }
            if (names.contains(m.group(1)) || showsOne) {
              found.add(root.relativize(f) + ":" + (i + 1) + ": \"" + m.group(1) + "\"");
            }
          }
        }
      }
    }
    return found;
  }
}
