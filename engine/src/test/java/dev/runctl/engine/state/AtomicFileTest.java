package dev.runctl.engine.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFileTest {
  @TempDir Path dir;

  @Test
  void aReplacedFileHasTheNewBytesTheUsualPermissionsAndNoTemporaryFileBeside() throws Exception {
    Path f = dir.resolve("report.html");
    Files.writeString(f, "old");
    Path other = dir.resolve("other.txt");
    Files.writeString(other, "made as any new file");
    AtomicFile.write(f, "new".getBytes(StandardCharsets.UTF_8));
    assertThat(f).hasContent("new");
    assertThat(Files.getPosixFilePermissions(f))
        .as("not a temporary file's 0600: a shared report stays readable")
        .isEqualTo(Files.getPosixFilePermissions(other))
        .contains(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("report.html", "other.txt");
    }
  }
}
