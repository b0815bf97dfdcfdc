package dev.runctl.engine.spi;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * Make the machine's workdir hold exactly {@code files} (read from {@code localRoot}), sending only
 * what the machine lacks and deleting what is no longer listed; then report which of {@code
 * mustExist} (paths relative to the workdir that later steps name) are missing there. {@code
 * progress} receives human-readable progress lines on large trees.
 */
public record SyncRequest(
    Path localRoot, List<ManifestEntry> files, List<String> mustExist, Consumer<String> progress) {
  public SyncRequest {
    files = List.copyOf(files);
    mustExist = List.copyOf(mustExist);
  }
}
