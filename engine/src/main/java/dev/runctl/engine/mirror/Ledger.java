package dev.runctl.engine.mirror;

import dev.runctl.engine.ErrorCategory;
import dev.runctl.engine.RunctlException;
import dev.runctl.engine.spi.StateRef;
import dev.runctl.engine.state.AtomicFile;
import dev.runctl.engine.state.RunFolder;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * What a local run folder knows of its copy in the store ({@code mirror.properties}): where the
 * store is (so that any command can reopen it), how many journal bytes and which packs it holds,
 * how far each shipped log reaches there, and the tag of each whole file. Written by the shipper
 * and the catch-up of this folder, never by two processes at once (the run's lock, local or remote,
 * is held, or the folder is only being caught up by a reader while no local process holds it).
 */
final class Ledger {
  static final String FILE = "mirror.properties";
  private static final String SETTING = "setting.";
  private static final String OFFSET = "file.";
  private static final String TAG = "whole.";
  private final Path file;
  private final Properties p;
  private boolean dirty;

  private Ledger(Path file, Properties p) {
    this.file = file;
    this.p = p;
  }

  static Path of(RunFolder run) {
    return run.dir().resolve(FILE);
  }

  static Ledger load(RunFolder run) {
    Path f = of(run);
    Properties p = new Properties();
    if (Files.exists(f)) {
      try (Reader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
        p.load(r);
      } catch (IOException | IllegalArgumentException e) {
        p.clear(); // a broken ledger costs a full catch-up, nothing else
      }
    }
    return new Ledger(f, p);
  }

  /** The store this run is kept in, when the folder says. */
  Optional<StateRef> ref() {
    String backend = p.getProperty("backend");
    if (backend == null) {
      return Optional.empty();
    }
    Map<String, String> settings = new LinkedHashMap<>();
    for (String k : p.stringPropertyNames()) {
      if (k.startsWith(SETTING)) {
        settings.put(k.substring(SETTING.length()), p.getProperty(k));
      }
    }
    Optional<Duration> lease = Optional.ofNullable(p.getProperty("lease")).map(Duration::parse);
    return Optional.of(
        new StateRef(backend, settings, lease, p.getProperty("origin", "the run folder")));
  }

  void ref(StateRef ref) {
    p.setProperty("backend", ref.backend());
    p.setProperty("origin", ref.origin());
    ref.settings().forEach((k, v) -> p.setProperty(SETTING + k, v));
    ref.lease().ifPresent(l -> p.setProperty("lease", l.toString()));
    dirty = true;
  }

  long journal() {
    return Long.parseLong(p.getProperty("journal", "0"));
  }

  void journal(long bytes) {
    p.setProperty("journal", Long.toString(bytes));
    dirty = true;
  }

  /** The last pack in the store, -1 for none. */
  long pack() {
    return Long.parseLong(p.getProperty("pack", "-1"));
  }

  void pack(long seq) {
    p.setProperty("pack", Long.toString(seq));
    dirty = true;
  }

  long offset(String path) {
    return Long.parseLong(p.getProperty(OFFSET + path, "0"));
  }

  void offset(String path, long bytes) {
    p.setProperty(OFFSET + path, Long.toString(bytes));
    dirty = true;
  }

  Optional<String> tag(String path) {
    return Optional.ofNullable(p.getProperty(TAG + path));
  }

  void tag(String path, String etag) {
    p.setProperty(TAG + path, etag);
    dirty = true;
  }

  /** Writes the ledger when something changed since it was read or last written. */
  synchronized void save() {
    if (!dirty) {
      return;
    }
    try {
      StringWriter w = new StringWriter();
      p.store(w, null);
      AtomicFile.write(file, w.toString().getBytes(StandardCharsets.UTF_8));
      dirty = false;
    } catch (IOException e) {
      throw new RunctlException(
          ErrorCategory.STATE,
          "cannot write " + file + ": " + e.getMessage(),
          "check that the state folder is writable and not full",
          e);
    }
  }
}
