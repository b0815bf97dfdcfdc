package dev.runctl.targets.local;

import dev.runctl.engine.spi.ManifestEntry;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * What a workspace holds, as the last sync left it: one line per file, {@code sha256 TAB
 * mode(octal) TAB size TAB mtime TAB path} (path escaped). Written to a temporary file and moved
 * into place, so that a crash leaves the old or the new manifest, never half of one.
 */
final class WorkspaceManifest {
  static final String FILE_NAME = ".runctl-manifest";

  private WorkspaceManifest() {}

  static Map<String, ManifestEntry> read(Path file) throws IOException {
    Map<String, ManifestEntry> out = new HashMap<>();
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      while ((line = r.readLine()) != null) {
        String[] f = line.split("\t", 5);
        if (f.length == 5) {
          String path = unescape(f[4]);
          out.put(
              path,
              new ManifestEntry(
                  path,
                  Long.parseLong(f[2]),
                  Long.parseLong(f[3]),
                  Integer.parseInt(f[1], 8),
                  f[0]));
        }
      }
    } catch (NoSuchFileException e) {
      return out;
    } catch (NumberFormatException e) {
      // A damaged manifest: send everything again rather than trust it.
      return new HashMap<>();
    }
    return out;
  }

  static void write(Path file, Collection<ManifestEntry> entries) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
      for (ManifestEntry e : entries) {
        w.write(e.sha256());
        w.write('\t');
        w.write(Integer.toOctalString(e.mode()));
        w.write('\t');
        w.write(Long.toString(e.size()));
        w.write('\t');
        w.write(Long.toString(e.modifiedMillis()));
        w.write('\t');
        w.write(escape(e.path()));
        w.write('\n');
      }
    }
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  static String escape(String path) {
    if (path.indexOf('\\') < 0 && path.indexOf('\n') < 0 && path.indexOf('\t') < 0) {
      return path;
    }
    return path.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t");
  }

  static String unescape(String text) {
    if (text.indexOf('\\') < 0) {
      return text;
    }
    StringBuilder b = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\\' && i + 1 < text.length()) {
        char n = text.charAt(++i);
        b.append(n == 'n' ? '\n' : n == 't' ? '\t' : n);
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }
}
