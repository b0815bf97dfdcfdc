package dev.runctl.steps.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runctl.engine.spi.ManifestEntry;
import dev.runctl.steps.support.Sha256;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestCacheTest {
  @TempDir Path cache;
  @TempDir Path work;

  private List<ManifestEntry> entries(ManifestCache c, String... names) throws Exception {
    List<ManifestEntry> out = new java.util.ArrayList<>();
    for (String name : names) {
      Path f = work.resolve(name);
      long size = Files.size(f);
      long mtime = Files.getLastModifiedTime(f).toMillis();
      out.add(new ManifestEntry(name, size, mtime, 0644, c.sha256(name, f, size, mtime)));
    }
    return out;
  }

  @Test
  void aSavedCacheGivesBackEveryHashWithoutReadingTheFilesAgain() throws Exception {
    String[] names = {"plain.txt", "tab\there", "new\nline", "back\\slash", "caf\u00e9.txt"};
    for (String n : names) {
      Files.writeString(work.resolve(n), "content of " + n);
    }
    ManifestCache first = ManifestCache.load(cache, work);
    List<ManifestEntry> saved = entries(first, names);
    assertThat(first.hashed()).isEqualTo(names.length);
    first.save(saved);

    ManifestCache again = ManifestCache.load(cache, work);
    assertThat(entries(again, names)).isEqualTo(saved);
    assertThat(again.hashed()).isZero();
    assertThat(saved.get(0).sha256()).isEqualTo(Sha256.of("content of plain.txt"));
  }

  @Test
  void aDamagedCacheOnlyMeansHashingAgain() throws Exception {
    Files.writeString(work.resolve("a.txt"), "a");
    ManifestCache first = ManifestCache.load(cache, work);
    first.save(entries(first, "a.txt"));
    Path file;
    try (Stream<Path> s = Files.walk(cache)) {
      file = s.filter(p -> p.toString().endsWith(".manifest")).findFirst().orElseThrow();
    }
    for (String damaged : List.of("abc\tx1\t2\ta.txt\n", "abc\t1\n", "\t1\t2\ta.txt\n")) {
      Files.writeString(file, damaged);
      ManifestCache c = ManifestCache.load(cache, work);
      assertThat(entries(c, "a.txt").get(0).sha256()).isEqualTo(Sha256.of("a"));
      assertThat(c.hashed()).as(damaged).isEqualTo(1);
    }
  }
}
