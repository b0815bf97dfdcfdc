package dev.runctl.targets.local;

import dev.runctl.engine.manifest.ManifestBytes;
import dev.runctl.engine.manifest.ManifestText;
import dev.runctl.engine.spi.ManifestEntry;
import dev.runctl.engine.state.AtomicFile;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What a workspace holds, as the last sync left it: a first line with the digest of the entries (so
 * that an unchanged re-sync reads one line), then one line per file, {@code sha256 TAB mode(octal)
 * TAB size TAB mtime TAB path} (path escaped). Written to a temporary file and moved into place, so
 * that a crash leaves the old or the new manifest, never half of one.
 */
final class WorkspaceManifest {
  static final String FILE_NAME = ".runctl-manifest";

  private WorkspaceManifest() {}

  private static final String HEADER = "# runctl manifest ";

  /** A digest of the entries, in order: equal digests, equal manifests. */
  static String digest(Collection<ManifestEntry> entries) {
    ManifestBytes d = ManifestBytes.digest();
    entries.forEach(d::entry);
    return d.hex();
  }

  /** The digest recorded in a manifest's first line, without reading the rest. */
  static Optional<String> digestOf(Path file) throws IOException {
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String first = r.readLine();
      return first != null && first.startsWith(HEADER)
          ? Optional.of(first.substring(HEADER.length()))
          : Optional.empty();
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  static Map<String, ManifestEntry> read(Path file) throws IOException {
    byte[] data;
    try {
      data = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return new HashMap<>();
    }
    // A damaged manifest: send everything again rather than trust it.
    return ManifestText.entries(data);
  }

  static void write(Path file, Collection<ManifestEntry> entries, String digest)
      throws IOException {
    ManifestBytes text = ManifestBytes.text(entries.size() + 1);
    text.text(HEADER).text(digest).ch('\n');
    entries.forEach(text::entry);
    AtomicFile.write(file, text.bytes());
  }
}
