package dev.runctl.engine.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runctl.engine.spi.ManifestEntry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ManifestTextTest {
  private static List<String> read(String text, int fields) {
    List<String> out = new ArrayList<>();
    boolean whole =
        ManifestText.forEachLine(
            text.getBytes(StandardCharsets.UTF_8),
            fields,
            l -> out.add(l.ascii(0) + "|" + l.number(1, 8) + "|" + l.path(fields - 1)));
    out.add("whole=" + whole);
    return out;
  }

  @Test
  void linesSplitIntoFieldsWithTheLastRunningToTheEnd() {
    String text =
        "# runctl manifest abc\n"
            + "aa\t644\tdir/caf\u00e9 \\t tab\n"
            + "\n"
            + "bb\t755\tback\\\\slash\\nnewline"; // no newline at the end
    assertThat(read(text, 3))
        .containsExactly(
            "aa|420|dir/caf\u00e9 \t tab", "bb|493|back\\slash\nnewline", "whole=true");
  }

  @Test
  void aLineWithTooFewFieldsOrAnEmptyFirstOneStopsTheRead() {
    assertThat(read("aa\t644\tx\nbb\t644\n", 3)).containsExactly("aa|420|x", "whole=false");
    assertThat(read("\t644\tx\n", 3)).containsExactly("whole=false");
  }

  @Test
  void numbersThatAreNotNumbersAreMinusOne() {
    assertThat(read("aa\t9\tx\n", 3)).containsExactly("aa|-1|x", "whole=true"); // 9 is not octal
    assertThat(read("aa\t\tx\n", 3)).containsExactly("aa|-1|x", "whole=true");
    assertThat(read("aa\t1234567890123456789\tx\n", 3)).containsExactly("aa|-1|x", "whole=true");
  }

  @Test
  void entriesReadBackWhatEntryWrote() {
    List<ManifestEntry> written =
        List.of(
            new ManifestEntry("a/b.txt", 12, 1_700_000_000_123L, 0644, "aa"),
            new ManifestEntry("tab\there\nnew caf\u00e9", 0, 0, 0100755, "bb"));
    ManifestBytes text = ManifestBytes.text(2);
    text.text("# a comment line, as the workspace manifest's header\n");
    written.forEach(text::entry);
    assertThat(ManifestText.entries(text.bytes()).values())
        .containsExactlyInAnyOrderElementsOf(written);
    assertThat(ManifestText.entries("aa\t644\t1\t2\n".getBytes(StandardCharsets.UTF_8)))
        .isEmpty(); // a line without its path: the whole manifest is not trusted
  }
}
