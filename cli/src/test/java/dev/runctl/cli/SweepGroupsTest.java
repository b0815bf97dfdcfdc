package dev.runctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runctl.cli.sweep.SweepMark;
import dev.runctl.engine.state.RunFolder;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SweepGroupsTest {
  private static SweepGroups.Entry child(int index, boolean first) {
    String id = "lr-20261206-100000-ab12-" + index;
    return new SweepGroups.Entry(
        new RunFolder(id, Path.of("runs", id)),
        Optional.of(new SweepMark("lr-20261206-100000-ab12", index, 2, Map.of("lr", "0." + index))),
        first);
  }

  @Test
  void aSweepsLineShowsItsStartWhereARunsLineDoes() {
    List<SweepGroups.Entry> entries = List.of(child(1, true), child(2, false));
    Map<String, Instant> started =
        Map.of(
            "lr-20261206-100000-ab12-1", Instant.parse("2026-12-06T10:00:05Z"),
            "lr-20261206-100000-ab12-2", Instant.parse("2026-12-06T10:00:01.5Z"));

    SweepGroups.SweepRow row =
        SweepGroups.row(
            entries.get(0), entries, id -> "succeeded", id -> Optional.ofNullable(started.get(id)));

    assertThat(row.startedAt()).isEqualTo("2026-12-06T10:00:01.500Z");
    assertThat(row.text())
        .startsWith(
            String.format(
                RunsCommand.ROW,
                "lr-20261206-100000-ab12",
                "lr",
                "succeeded",
                "2026-12-06 10:00:01",
                "",
                ""))
        .contains("2 children: 2 succeeded")
        .doesNotContain(" sweep ");
  }
}
