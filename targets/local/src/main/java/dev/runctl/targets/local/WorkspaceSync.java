package dev.runctl.targets.local;

import dev.runctl.engine.spi.ManifestEntry;
import dev.runctl.engine.spi.StepException;
import dev.runctl.engine.spi.SyncRequest;
import dev.runctl.engine.spi.SyncResult;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Makes a workspace hold exactly the files of a {@link SyncRequest}: compares them with the
 * manifest the workspace keeps, copies in parallel only what is new or changed (keeping modes and
 * modification times), deletes what is no longer listed, and then checks the required paths.
 */
final class WorkspaceSync {
  private static final int THREADS = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());

  private final Path workspace;

  WorkspaceSync(Path workspace) {
    this.workspace = workspace;
  }

  SyncResult sync(SyncRequest request) throws InterruptedException {
    try {
      Files.createDirectories(workspace);
      Path manifestFile = workspace.resolve(WorkspaceManifest.FILE_NAME);
      String digest = WorkspaceManifest.digest(request.files());
      if (WorkspaceManifest.digestOf(manifestFile).filter(digest::equals).isPresent()) {
        // The workspace holds exactly these files already: nothing to compare, send or delete.
        return new SyncResult(0, 0, 0, missing(request));
      }
      Map<String, ManifestEntry> have = WorkspaceManifest.read(manifestFile);
      List<ManifestEntry> send = new ArrayList<>();
      List<ManifestEntry> touch = new ArrayList<>();
      Set<String> wanted = ConcurrentHashMap.newKeySet();
      for (ManifestEntry e : request.files()) {
        wanted.add(e.path());
        ManifestEntry old = have.get(e.path());
        if (old == null || !old.sha256().equals(e.sha256())) {
          send.add(e);
        } else if (old.mode() != e.mode() || old.modifiedMillis() != e.modifiedMillis()) {
          touch.add(e);
        }
      }
      int deleted = 0;
      for (String path : have.keySet()) {
        if (!wanted.contains(path) && delete(path)) {
          deleted++;
        }
      }
      for (ManifestEntry e : touch) {
        Path dst = workspace.resolve(e.path());
        Files.setPosixFilePermissions(dst, FileModes.permissions(e.mode()));
        Files.setLastModifiedTime(dst, FileTime.fromMillis(e.modifiedMillis()));
      }
      long bytes = copyAll(request, send, have);
      if (!send.isEmpty() || !touch.isEmpty() || deleted > 0 || !Files.exists(manifestFile)) {
        WorkspaceManifest.write(manifestFile, request.files(), digest);
      }
      return new SyncResult(send.size(), bytes, deleted, missing(request));
    } catch (IOException e) {
      throw StepException.transientError(
          "sync into " + workspace + " failed: " + e, "check free disk space and permissions", e);
    }
  }

  private List<String> missing(SyncRequest request) {
    return request.mustExist().stream().filter(p -> !Files.exists(workspace.resolve(p))).toList();
  }

  private long copyAll(
      SyncRequest request, List<ManifestEntry> send, Map<String, ManifestEntry> have)
      throws IOException, InterruptedException {
    if (send.isEmpty()) {
      return 0;
    }
    long total = send.stream().mapToLong(ManifestEntry::size).sum();
    boolean large = send.size() >= 500 || total >= 50L << 20;
    int every = Math.max(100, send.size() / 10);
    AtomicInteger done = new AtomicInteger();
    AtomicLong bytes = new AtomicLong();
    Map<Path, Boolean> dirs = new ConcurrentHashMap<>();
    SyncProgress progress = new SyncProgress(request, send.size(), total);
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      // One task per folder (in slices of at most 256 files): new files of one folder contend
      // for its lock in the kernel, so the threads do better each in a folder of its own.
      List<Future<?>> futures = new ArrayList<>();
      for (List<ManifestEntry> slice : byFolder(send)) {
        futures.add(
            pool.submit(
                () -> {
                  for (ManifestEntry e : slice) {
                    copyOne(request.localRoot(), e, have.containsKey(e.path()), dirs);
                    long b = bytes.addAndGet(e.size());
                    int n = done.incrementAndGet();
                    if (large && (n % every == 0 || n == send.size())) {
                      progress.report(n, b);
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof java.io.UncheckedIOException u) {
        cause = u.getCause();
      }
      throw cause instanceof IOException io ? io : new IOException(cause.toString(), cause);
    } finally {
      pool.shutdownNow();
    }
    return bytes.get();
  }

  /** {@code send} (in path order) cut into runs of one folder each, at most 256 files long. */
  private static List<List<ManifestEntry>> byFolder(List<ManifestEntry> send) {
    List<List<ManifestEntry>> slices = new ArrayList<>();
    List<ManifestEntry> slice = new ArrayList<>();
    String folder = null;
    for (ManifestEntry e : send) {
      int slash = e.path().lastIndexOf('/');
      String f = slash < 0 ? "" : e.path().substring(0, slash);
      if (!slice.isEmpty() && (!f.equals(folder) || slice.size() == 256)) {
        slices.add(slice);
        slice = new ArrayList<>();
      }
      folder = f;
      slice.add(e);
    }
    if (!slice.isEmpty()) {
      slices.add(slice);
    }
    return slices;
  }

  private void copyOne(Path root, ManifestEntry e, boolean replacing, Map<Path, Boolean> dirs)
      throws IOException {
    Path dst = workspace.resolve(e.path());
    // computeIfAbsent makes the other threads that need this folder wait until it exists.
    dirs.computeIfAbsent(dst.getParent(), this::createDirs);
    Path src = root.resolve(e.path());
    if (!replacing) {
      try {
        // COPY_ATTRIBUTES carries the source's mode and modification time: those of the entry.
        Files.copy(src, dst, StandardCopyOption.COPY_ATTRIBUTES);
        return;
      } catch (FileAlreadyExistsException exists) {
        // not in the workspace's manifest but there all the same: replace it as below
      }
    }
    Path tmp = dst.resolveSibling("." + dst.getFileName() + ".runctl-tmp");
    Files.copy(src, tmp, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
    Files.setPosixFilePermissions(tmp, FileModes.permissions(e.mode()));
    Files.move(tmp, dst, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private Boolean createDirs(Path dir) {
    try {
      if (Files.isRegularFile(dir)) {
        Files.delete(dir); // a file that has become a folder
      }
      try {
        Files.createDirectories(dir);
      } catch (FileAlreadyExistsException e) {
        Files.delete(dir);
        Files.createDirectories(dir);
      }
      return Boolean.TRUE;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private boolean delete(String path) throws IOException {
    Path file = workspace.resolve(path);
    boolean gone = Files.deleteIfExists(file);
    Path dir = file.getParent();
    while (dir != null && !dir.equals(workspace) && dir.startsWith(workspace)) {
      try (var entries = Files.list(dir)) {
        if (entries.findAny().isPresent()) {
          break;
        }
      }
      Files.delete(dir);
      dir = dir.getParent();
    }
    return gone;
  }
}
