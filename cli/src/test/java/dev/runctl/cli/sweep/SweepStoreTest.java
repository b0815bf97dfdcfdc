package dev.runctl.cli.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SweepStoreTest {
  @TempDir Path state;

  private static Map<String, String> combination(String lr, String seed) {
    Map<String, String> c = new LinkedHashMap<>();
    c.put("lr", lr);
    c.put("seed", seed);
    return c;
  }

  @Test
  void aRecordReadsBackAsWrittenWithItsSpecFrozenNextToIt() throws Exception {
    String id = "lr-sweep-20261206-154456-7cb4";
    SweepRecord r =
        new SweepRecord(
            id,
            "lr-sweep",
            "/p/sweep.yaml",
            "2026-12-06T15:44:56Z",
            2,
            true,
            List.of(
                new SweepRecord.Child(1, SweepRecord.childId(id, 1), combination("0.3", "1")),
                new SweepRecord.Child(
                    2, SweepRecord.childId(id, 2), combination("1e-4", "\"2\""))));
    SweepStore store = new SweepStore(state);

    store.create(r, Path.of("/p/sweep.yaml"), "version: 1\n");

    assertThat(store.read(id)).isEqualTo(r);
    assertThat(store.read(id).children().get(1).combination().keySet())
        .containsExactly("lr", "seed");
    assertThat(store.source(id)).isEqualTo("version: 1\n");
    assertThat(store.ids()).containsExactly(id);
    assertThat(store.find("lr-sweep-2026")).contains(id);
    assertThat(store.find(id + "-1")).as("a child's id names a run, not the sweep").isEmpty();
    assertThat(Files.list(store.dir(id)).map(p -> p.getFileName().toString()))
        .as("no temp file left")
        .containsExactlyInAnyOrder("sweep.json", "spec.yaml", "spec-file");
  }

  @Test
  void aChildsMarkReadsBackAndAFolderWithoutOneIsNoChild() {
    SweepMark m = new SweepMark("s-20261206-154456-7cb4", 3, 4, combination("0.1", "2"));
    m.write(state);
    assertThat(SweepMark.read(state)).contains(m);
    assertThat(SweepMark.read(state.resolve("elsewhere"))).isEmpty();
  }
}
