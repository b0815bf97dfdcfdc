package dev.runctl.steps.deps;

import dev.runctl.engine.spi.ConfigureContext;
import dev.runctl.engine.spi.SettingsReader;
import dev.runctl.engine.spi.StepException;
import dev.runctl.steps.support.Sha256;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** A requirements file as read locally: the hash that names its environment, and its size. */
record Requirements(String sha256, int count) {

  static Requirements read(DepsStep.Config config, Path workdir) {
    Path file = workdir.resolve(config.requirements());
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new StepException(
          dev.runctl.engine.spi.ErrorClass.FAILURE,
          false,
          "cannot read the requirements file " + file + ": " + e.getMessage(),
          "with.requirements is relative to the spec's workdir " + workdir,
          e);
    }
    int count = 0;
    for (String line : text.split("\n")) {
      String t = line.strip();
      if (!t.isEmpty() && !t.startsWith("#")) {
        count++;
      }
    }
    String key =
        text + "\u0000" + config.python() + "\u0000" + String.join("\u0000", config.pipArgs());
    return new Requirements(Sha256.of(key), count);
  }

  static void checkExists(Path workdir, String requirements, SettingsReader with) {
    if (ConfigureContext.hasExpression(requirements)) {
      return;
    }
    Path file = workdir.resolve(requirements);
    if (!Files.isRegularFile(file)) {
      with.error(
          "requirements",
          "requirements file '" + requirements + "' does not exist in the workdir " + workdir,
          "the path is relative to the spec's workdir; an empty file (or only comments) is fine");
    }
  }
}
