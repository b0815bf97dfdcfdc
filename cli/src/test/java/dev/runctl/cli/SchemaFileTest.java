package dev.runctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
}
