package dev.runctl.cli;

import dev.runctl.engine.spec.JobSchema;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code runctl schema}: prints the job spec's JSON Schema. */
@Command(
    name = "schema",
    mixinStandardHelpOptions = true,
    description = {
      "Print the JSON Schema (draft 2020-12) of the job spec.",
      "Editors use it for completion and hover help: with the YAML language server, start a spec"
          + " with '# yaml-language-server: $schema=<path to the schema>'."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  runctl schema > job.schema.json",
      "  runctl schema --output json      the schema as one JSON line ({\"type\":\"schema\",...})"
    })
final class SchemaCommand implements Callable<Integer> {
  @ParentCommand RunctlCommand root;

  /** The schema, in JSON output as one line. */
  record SchemaEvent(EventJson.RawJson schema) implements CliEvent {
    @Override
    public String type() {
      return "schema";
    }

    @Override
    public String text() {
      return "";
    }
  }

  @Override
  public Integer call() {
    Output out = root.output();
    String schema = JobSchema.text(root.components().registry());
    if (out.json()) {
      out.emit(new SchemaEvent(new EventJson.RawJson(schema)));
    } else {
      out.out().print(schema.endsWith("\n") ? schema : schema + "\n");
      out.out().flush();
    }
    return ExitCodes.OK;
  }
}
