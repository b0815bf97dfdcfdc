package dev.runctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runctl.engine.registry.Registry;
import dev.runctl.engine.spec.PackagedSchema;
import dev.runctl.engine.spi.StepType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SchemaFileTest {
  @Test
  void theCheckedInSchemaIsTheComposedOne() throws IOException {
    Path file = Path.of("../schema/job.schema.json");
    assertThat(Files.readString(file, StandardCharsets.UTF_8))
        .as(
            "schema/job.schema.json is not the schema runctl composes from its step types and"
                + " targets; regenerate it with: mvn -B -pl cli -am package -DskipTests")
        .isEqualTo(SchemaFile.composed());
  }

  @Test
  void runctlSchemaPrintsTheComposedSchema() {
    CliRun run = CliRun.with(Components.standard(), "schema");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).isEqualTo(SchemaFile.composed());
  }

  @Test
  void planReadsTheDocumentTheBuildComposedForTheShippedRegistry() {
    assertThat(PackagedSchema.document(Components.standardRegistry()))
        .as("the build packages the composed schema and its key (cli/pom.xml, SchemaFile)")
        .contains(SchemaFile.composed());
  }

  @Test
  void aRegistryWithOtherSettingsIsComposedInstead() {
    Registry shipped = Components.standardRegistry();
    List<StepType<?>> types = new ArrayList<>(shipped.stepTypes());
    types.remove(types.size() - 1);
    Registry fewer = new Registry(types, shipped.targets());
    assertThat(PackagedSchema.key(fewer)).isNotEqualTo(PackagedSchema.key(shipped));
    assertThat(PackagedSchema.document(fewer)).isEmpty();
  }
}
