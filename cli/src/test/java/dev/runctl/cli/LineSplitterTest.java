package dev.runctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineSplitterTest {
  private final List<String> lines = new ArrayList<>();

  private void feedByteByByte(LineSplitter s, String text) {
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < b.length; i++) {
      s.feed(b, i, 1);
    }
  }

  @Test
  void linesSplitAcrossChunksComeOutWholeAndTheUnendedLastOneOnFinish() {
    LineSplitter s = new LineSplitter(lines::add);
    feedByteByByte(s, "één\nzwei\n\ndrei");
    assertThat(lines).containsExactly("één", "zwei", "");
    s.finish();
    assertThat(lines).containsExactly("één", "zwei", "", "drei");
  }

  @Test
  void aLineLongerThanTheLimitComesInPiecesCutBetweenCharacters() {
    LineSplitter s = new LineSplitter(lines::add, 8);
    String line = "aé€𝄞bcdefghij";
    feedByteByByte(s, line + "\nnext\n");
    assertThat(String.join("", lines.subList(0, lines.size() - 1))).isEqualTo(line);
    assertThat(lines.get(lines.size() - 1)).isEqualTo("next");
    assertThat(lines)
        .allSatisfy(
            l -> assertThat(l.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(8))
        .noneMatch(l -> l.contains("\uFFFD"));
  }
}
