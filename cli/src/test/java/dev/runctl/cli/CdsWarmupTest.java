package dev.runctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class CdsWarmupTest {
  private static List<Path> leftovers() throws Exception {
    try (Stream<Path> s = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
      return s.filter(p -> p.getFileName().toString().startsWith("runctl-cds")).toList();
    }
  }

  @Test
  void theWarmupApplySucceedsAndLeavesNothingBehind() throws Exception {
    List<Path> before = leftovers();
    CdsWarmup.main(new String[0]); // throws when the apply does not succeed
    // nothing new; another runctl on the machine may remove its own folder meanwhile
    assertThat(leftovers()).isSubsetOf(before);
  }
}
