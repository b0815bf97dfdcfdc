package dev.runctl.cli;

import dev.runctl.engine.ErrorCategory;
import dev.runctl.engine.RunctlException;
import dev.runctl.engine.json.FlatObject;
import dev.runctl.engine.json.Json;
import dev.runctl.engine.spec.SpecOverride;
import dev.runctl.engine.state.AtomicFile;
import dev.runctl.engine.state.RunFolder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code --env} and {@code --set} of an apply, frozen next to the run's spec ({@code
 * overrides.jsonl}, one JSON object a line) so that resume, destroy and the live checks read the
 * spec with the same values. No file: no overrides.
 */
final class FrozenOverrides {
  private FrozenOverrides() {}

  static Path file(RunFolder folder) {
    return folder.dir().resolve("overrides.jsonl");
  }

  /** Parses {@code KEY=VALUE} arguments; an argument without '=' is a usage error. */
  static List<SpecOverride> parse(List<String> env, List<String> set) {
    List<SpecOverride> out = new ArrayList<>();
    for (String e : env) {
      int eq = e.indexOf('=');
      if (eq <= 0) {
        throw usage("--env " + e, "--env KEY=VALUE, e.g. --env SEED=7");
      }
      out.add(SpecOverride.env(e.substring(0, eq), e.substring(eq + 1)));
    }
    for (String s : set) {
      int eq = s.indexOf('=');
      if (eq <= 0) {
        throw usage(
            "--set " + s,
            "--set PATH=VALUE, e.g. --set steps.train.with.args='[\"--epochs\",\"3\"]'");
      }
      out.add(SpecOverride.set(s.substring(0, eq), s.substring(eq + 1)));
    }
    return out;
  }

  private static RunctlException usage(String given, String form) {
    return new RunctlException(
        ErrorCategory.USAGE, "'" + given + "' has no '='", "write it as " + form);
  }

  /** Writes them into the run folder (temp file, then moved), before the run starts. */
  static void write(RunFolder folder, List<SpecOverride> overrides) {
    if (overrides.isEmpty()) {
      return;
    }
    StringBuilder b = new StringBuilder();
    for (SpecOverride o : overrides) {
      b.append(
              Json.line(
                  g -> {
                    g.writeStartObject();
                    g.writeStringProperty("kind", o.kind().name());
                    g.writeStringProperty("path", o.path());
                    g.writeStringProperty("value", o.value());
                    g.writeEndObject();
                  }))
          .append('\n');
    }
    Path target = file(folder);
    try {
      AtomicFile.write(target, b.toString().getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new RunctlException(
          ErrorCategory.STATE,
          "cannot write " + target + ": " + e.getMessage(),
          "check that the state folder is writable, then resume the run",
          e);
    }
  }

  static List<SpecOverride> read(RunFolder folder) {
    Path f = file(folder);
    if (!Files.exists(f)) {
      return List.of();
    }
    try {
      List<SpecOverride> out = new ArrayList<>();
      for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
        if (!line.isBlank()) {
          FlatObject o = FlatObject.read(line);
          out.add(
              new SpecOverride(
                  SpecOverride.Kind.valueOf(o.text("kind")), o.text("path"), o.text("value")));
        }
      }
      return out;
    } catch (IOException | RuntimeException e) {
      throw new RunctlException(
          ErrorCategory.STATE,
          "cannot read the frozen overrides " + f + ": " + e.getMessage(),
          "the run folder is damaged; start a new run with `runctl apply`",
          e);
    }
  }
}
