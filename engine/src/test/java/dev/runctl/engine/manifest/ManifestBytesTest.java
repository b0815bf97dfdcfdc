package dev.runctl.engine.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class ManifestBytesTest {
  private static String sha(String text) throws Exception {
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    return HexFormat.of().formatHex(md.digest(text.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void equalsTheDigestOfTheTextItStandsFor() throws Exception {
    String big = "x".repeat(40_000); // larger than the buffer
    StringBuilder text = new StringBuilder();
    ManifestBytes d = ManifestBytes.digest();
    for (int i = 0; i < 3000; i++) {
      String path = "dir " + i + "/caf\u00e9-\u6587\u4ef6-\ud83d\ude00.bin";
      long size = i * 1_234_567L;
      int mode = i % 2 == 0 ? 0644 : 0100755;
      d.text(path).ch('\t').number(size).ch('\t').octal(mode).ch('\t').number(-i).ch('\n');
      text.append(path).append('\t').append(size).append('\t');
      text.append(Integer.toOctalString(mode)).append('\t').append(-i).append('\n');
    }
    d.text(big).number(Long.MAX_VALUE).number(0);
    text.append(big).append(Long.MAX_VALUE).append(0);
    assertThat(d.hex()).isEqualTo(sha(text.toString()));
  }

  @Test
  void aTextGrowsAsNeededAndHoldsTheUtf8OfWhatWasAppended() {
    ManifestBytes t = ManifestBytes.text(1); // far too small: it grows
    StringBuilder expected = new StringBuilder();
    for (int i = 0; i < 2000; i++) {
      String path = "d" + i + "/na\u00efve\tname";
      t.text(ManifestText.escape(path)).ch('\t').octal(0755).ch('\t').number(i).ch('\n');
      expected.append(ManifestText.escape(path)).append("\t755\t").append(i).append('\n');
    }
    assertThat(new String(t.bytes(), StandardCharsets.UTF_8)).isEqualTo(expected.toString());
  }

  @Test
  void anEmptyManifestHasTheDigestOfNothing() throws Exception {
    assertThat(ManifestBytes.digest().hex()).isEqualTo(sha(""));
  }
}
