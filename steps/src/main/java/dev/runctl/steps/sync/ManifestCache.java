package dev.runctl.steps.sync;

import dev.runctl.engine.spi.ManifestEntry;
import dev.runctl.steps.support.Sha256;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The hashes of a workdir's files as last computed, kept under the cache folder: a file whose size
 * and modification time are unchanged is not read again. Lines: {@code sha256 TAB size TAB mtime
 * TAB path}. Written to a temporary file and moved into place.
 */
final class ManifestCache {
  private static final int THREADS = Math.max(2, Runtime.getRuntime().availableProcessors());

  private final Path file;
  private int hashed;

  ManifestCache(Path cacheDir, Path workdir) {
    String key = Sha256.of(workdir.toAbsolutePath().normalize().toString()).substring(0, 16);
    this.file = cacheDir.resolve("sync").resolve(key + ".manifest");
  }

  /** How many files the last {@link #entries} call had to read and hash. */
  int hashed() {
    return hashed;
  }

  List<ManifestEntry> entries(List<WorkdirScanner.Scanned> files)
      throws IOException, InterruptedException {
    Map<String, String[]> cached = read();
    String[] shas = new String[files.size()];
    List<Integer> todo = new ArrayList<>();
    for (int i = 0; i < files.size(); i++) {
      WorkdirScanner.Scanned f = files.get(i);
      String[] c = cached.get(f.path());
      if (c != null
          && Long.parseLong(c[1]) == f.size()
          && Long.parseLong(c[2]) == f.modifiedMillis()) {
        shas[i] = c[0];
      } else {
        todo.add(i);
      }
    }
    hashAll(files, shas, todo);
    hashed = todo.size();
    List<ManifestEntry> out = new ArrayList<>(files.size());
    for (int i = 0; i < files.size(); i++) {
      WorkdirScanner.Scanned f = files.get(i);
      out.add(new ManifestEntry(f.path(), f.size(), f.modifiedMillis(), f.mode(), shas[i]));
    }
    if (!todo.isEmpty() || cached.size() != files.size()) {
      write(out);
    }
    return out;
  }

  private void hashAll(List<WorkdirScanner.Scanned> files, String[] shas, List<Integer> todo)
      throws IOException, InterruptedException {
    if (todo.isEmpty()) {
      return;
    }
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      List<Future<?>> futures = new ArrayList<>(todo.size());
      for (int i : todo) {
        futures.add(
            pool.submit(
                () -> {
                  shas[i] = Sha256.ofFile(files.get(i).file());
                  return null;
                }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } catch (ExecutionException e) {
      throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  private Map<String, String[]> read() throws IOException {
    Map<String, String[]> out = new HashMap<>();
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      while ((line = r.readLine()) != null) {
        int a = line.indexOf('\t');
        int b = line.indexOf('\t', a + 1);
        int c = line.indexOf('\t', b + 1);
        if (a > 0 && b > a && c > b) {
          out.put(
              PathText.unescape(line.substring(c + 1)),
              new String[] {
                line.substring(0, a), line.substring(a + 1, b), line.substring(b + 1, c)
              });
        }
      }
    } catch (NoSuchFileException e) {
      return out;
    }
    return out;
  }

  private void write(List<ManifestEntry> entries) throws IOException {
    Files.createDirectories(file.getParent());
    Path tmp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
    try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
      for (ManifestEntry e : entries) {
        w.write(
            e.sha256()
                + "\t"
                + e.size()
                + "\t"
                + e.modifiedMillis()
                + "\t"
                + PathText.escape(e.path())
                + "\n");
      }
    }
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** The digest of a whole tree: paths, modes and contents (not times), in path order. */
  static String treeSha(List<ManifestEntry> entries) {
    StringBuilder b = new StringBuilder(entries.size() * 120);
    for (ManifestEntry e : entries) {
      b.append(PathText.escape(e.path()))
          .append('\t')
          .append(Integer.toOctalString(e.mode()))
          .append('\t')
          .append(e.sha256())
          .append('\n');
    }
    return Sha256.of(b.toString());
  }
}
