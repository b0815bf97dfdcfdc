package dev.runctl.targets.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runctl.engine.spi.ManifestEntry;
import dev.runctl.engine.spi.SyncRequest;
import dev.runctl.engine.spi.SyncResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkspaceSyncTest {
  @TempDir Path tmp;

  private static ManifestEntry entry(Path root, String path, int mode) throws Exception {
    Path f = root.resolve(path);
    byte[] bytes = Files.readAllBytes(f);
    String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    return new ManifestEntry(
        path, bytes.length, Files.getLastModifiedTime(f).toMillis(), mode, sha);
  }

  private static void write(Path p, String text) throws Exception {
    Files.createDirectories(p.getParent());
    Files.writeString(p, text, StandardCharsets.UTF_8);
  }

  @Test
  void manyFoldersCopiedInParallelWithProgressThenOnlyChangesAndDeletions() throws Exception {
    Path src = tmp.resolve("src");
    List<ManifestEntry> files = new ArrayList<>();
    for (int d = 0; d < 60; d++) {
      for (int f = 0; f < 12; f++) {
        String path = "d" + d + "/sub" + (f % 3) + "/f" + f + ".txt";
        write(src.resolve(path), "file " + d + "/" + f);
        files.add(entry(src, path, 0644));
      }
    }
    Path ws = tmp.resolve("ws");
    List<String> progress = new CopyOnWriteArrayList<>();
    SyncResult first =
        new WorkspaceSync(ws)
            .sync(new SyncRequest(src, files, List.of("d3/sub1/f4.txt", "nope.py"), progress::add));
    assertThat(first.filesSent()).isEqualTo(720);
    assertThat(first.missing()).containsExactly("nope.py");
    assertThat(progress).isNotEmpty().last().asString().contains("720/720 files");
    assertThat(ws.resolve("d59/sub2/f11.txt")).hasContent("file 59/11");

    // One change, one deletion, one file that has become a folder, one mode change.
    write(src.resolve("d1/sub0/f0.txt"), "changed!");
    List<ManifestEntry> next = new ArrayList<>();
    for (ManifestEntry e : files) {
      if (e.path().equals("d2/sub0/f0.txt")) {
        continue;
      }
      if (e.path().equals("d1/sub0/f0.txt")) {
        next.add(entry(src, e.path(), 0644));
      } else if (e.path().equals("d4/sub1/f1.txt")) {
        next.add(new ManifestEntry(e.path(), e.size(), e.modifiedMillis(), 0755, e.sha256()));
      } else {
        next.add(e);
      }
    }
    Files.delete(src.resolve("d5/sub0/f3.txt"));
    write(src.resolve("d5/sub0/f3.txt/inner.txt"), "now a folder");
    next.removeIf(e -> e.path().equals("d5/sub0/f3.txt"));
    next.add(entry(src, "d5/sub0/f3.txt/inner.txt", 0600));
    SyncResult second = new WorkspaceSync(ws).sync(new SyncRequest(src, next, List.of(), m -> {}));
    assertThat(second.filesSent()).isEqualTo(2);
    assertThat(second.filesDeleted()).isEqualTo(2);
    assertThat(ws.resolve("d1/sub0/f0.txt")).hasContent("changed!");
    assertThat(ws.resolve("d2/sub0/f0.txt")).doesNotExist();
    assertThat(ws.resolve("d5/sub0/f3.txt/inner.txt")).hasContent("now a folder");
    assertThat(Files.isExecutable(ws.resolve("d4/sub1/f1.txt"))).isTrue();

    SyncResult third = new WorkspaceSync(ws).sync(new SyncRequest(src, next, List.of(), m -> {}));
    assertThat(third.filesSent()).isZero();
    assertThat(third.filesDeleted()).isZero();

    // A file the workspace holds outside its manifest (a step wrote it) is replaced, not kept.
    write(ws.resolve("d0/sub0/stray.txt"), "written on the machine");
    write(src.resolve("d0/sub0/stray.txt"), "from the workdir");
    next.add(entry(src, "d0/sub0/stray.txt", 0600));
    SyncResult fourth = new WorkspaceSync(ws).sync(new SyncRequest(src, next, List.of(), m -> {}));
    assertThat(fourth.filesSent()).isEqualTo(1);
    assertThat(ws.resolve("d0/sub0/stray.txt")).hasContent("from the workdir");
    assertThat(Files.getPosixFilePermissions(ws.resolve("d0/sub0/stray.txt")))
        .isEqualTo(FileModes.permissions(0600));
  }
}
