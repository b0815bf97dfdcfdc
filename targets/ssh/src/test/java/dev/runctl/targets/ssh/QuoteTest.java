package dev.runctl.targets.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every value survives a real bash byte for byte, as one word. */
class QuoteTest {
  static final List<String> HOSTILE =
      List.of(
          "plain",
          "two words",
          "it's",
          "'",
          "''",
          "say \"hi\"",
          "$HOME ${PATH} $(id) `id`",
          "a; rm -rf / && echo | cat > x",
          "line1\nline2\n",
          "\ttab",
          "ünïcödé € 日本 🙂",
          "-n",
          "--lr=3",
          "",
          "back\\slash \\n \\'",
          "*",
          "~",
          "!event",
          "#comment");

  @Test
  void eachValueReachesBashAsOneIdenticalArgument() throws Exception {
    String script = "printf '%s\\0' " + Quote.words(HOSTILE);
    List<String> got = split(bash(script));
    assertThat(got).containsExactlyElementsOf(HOSTILE);
  }

  @Test
  void assignmentsHoldTheValuesExactly() throws Exception {
    Map<String, String> vars = new LinkedHashMap<>();
    for (int i = 0; i < HOSTILE.size(); i++) {
      vars.put("V" + i, HOSTILE.get(i));
    }
    StringBuilder script = new StringBuilder(Quote.assignments(vars, true));
    for (int i = 0; i < HOSTILE.size(); i++) {
      script.append("printf '%s\\0' \"$V").append(i).append("\"\n");
    }
    assertThat(split(bash(script.toString()))).containsExactlyElementsOf(HOSTILE);
  }

  @Test
  void aScriptQuotedOnceMoreSurvivesTheLoginShellAsWell() throws Exception {
    // what ssh does: the remote command is one string for the login shell's -c
    String inner = "printf '%s\\0' " + Quote.words(HOSTILE);
    String outer = "bash -c " + Quote.quote(inner);
    assertThat(split(bash(outer))).containsExactlyElementsOf(HOSTILE);
  }

  @Test
  void namesThatAreNotIdentifiersAndNulCharactersAreRefused() {
    assertThatThrownBy(() -> Quote.assignments(Map.of("A B", "x"), false))
        .hasMessageContaining("not a shell variable name");
    assertThatThrownBy(() -> Quote.quote("a\0b")).hasMessageContaining("NUL");
  }

  private static byte[] bash(String script) throws Exception {
    Process p = new ProcessBuilder("bash", "-c", script).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    assertThat(p.waitFor()).isZero();
    return out;
  }

  private static List<String> split(byte[] out) {
    List<String> values = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < out.length; i++) {
      if (out[i] == 0) {
        values.add(new String(out, start, i - start, StandardCharsets.UTF_8));
        start = i + 1;
      }
    }
    return values;
  }
}
