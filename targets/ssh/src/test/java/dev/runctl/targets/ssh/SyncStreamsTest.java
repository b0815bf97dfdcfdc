package dev.runctl.targets.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runctl.engine.spi.ManifestEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SyncStreamsTest {
  @Test
  void aSmallSyncIsOneStreamALargeOneSeveralInOrder() {
    List<ManifestEntry> few = files(10, 100);
    assertThat(SyncStreams.split(few)).containsExactly(few);
    List<ManifestEntry> many = files(3000, 100);
    List<List<ManifestEntry>> parts = SyncStreams.split(many);
    assertThat(parts).hasSize(SyncStreams.MAX_STREAMS);
    assertThat(parts.stream().flatMap(List::stream).toList()).isEqualTo(many);
    assertThat(parts).allMatch(p -> p.size() > 900);
  }

  @Test
  void onlyFoldersThatHoldNoWantedFileAreEmptiedDeepestFirst() {
    List<String> out =
        SyncStreams.emptiedFolders(
            Set.of("a/b/c/x.txt", "a/y.txt", "k/z.txt", "top.txt"), Set.of("a/keep.txt"));
    assertThat(out).containsExactly("a/b/c", "a/b", "k");
  }

  private static List<ManifestEntry> files(int n, long size) {
    List<ManifestEntry> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(new ManifestEntry(String.format("d/f%05d", i), size, 0, 0644, "x"));
    }
    return out;
  }
}
