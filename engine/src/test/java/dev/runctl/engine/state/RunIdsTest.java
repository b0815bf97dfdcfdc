package dev.runctl.engine.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class RunIdsTest {
  @Test
  void aSweepChildsIdSaysItsSweepsTimeAndJob() {
    assertThat(RunIds.time("lr-sweep-20261206-154456-7cb4-3"))
        .contains(Instant.parse("2026-12-06T15:44:56Z"));
    assertThat(RunIds.job("lr-sweep-20261206-154456-7cb4-3")).isEqualTo("lr-sweep");
    assertThat(RunIds.job("lr-sweep-20261206-154456-1234")).isEqualTo("lr-sweep");
    assertThat(RunIds.time("no-stamp-here")).isEmpty();
  }

  @Test
  void childrenSortWithTheirSweepByTime() {
    List<String> ids =
        Stream.of(
                "a-20261205-100000-aaaa",
                "s-20261206-154456-7cb4-2",
                "s-20261206-154456-7cb4-10",
                "b-20261207-090000-bbbb",
                "s-20261206-154456-7cb4-1")
            .map(id -> new RunFolder(id, Path.of(id)))
            .sorted(RunStore.NEWEST_FIRST)
            .map(RunFolder::runId)
            .toList();
    assertThat(ids)
        .containsExactly(
            "b-20261207-090000-bbbb",
            "s-20261206-154456-7cb4-10",
            "s-20261206-154456-7cb4-2",
            "s-20261206-154456-7cb4-1",
            "a-20261205-100000-aaaa");
  }
}
