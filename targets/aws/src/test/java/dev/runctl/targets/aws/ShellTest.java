package dev.runctl.targets.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Runs the quoted text through a real bash and checks every value arrives unchanged. */
class ShellTest {
  private static final List<String> NASTY =
      List.of(
          "plain",
          "with spaces  twice",
          "single ' quote",
          "double \" quote",
          "$HOME and ${PATH} and $(id) and `id`",
          "semi; rm -rf / ; echo",
          "line one\nline two\n",
          "--leading-dash",
          "-n",
          "unicodé ✓ 训练",
          "back\\slash \\n",
          "glob * ? [a]",
          "",
          "'",
          "''''",
          "tab\there | pipe > redirect < in & amp");

  @Test
  void quotedWordsReachTheProgramUnchanged() throws Exception {
    String script = "for a in " + Shell.words(NASTY) + "; do printf '%s\\0' \"$a\"; done";
    List<String> got = runBash(script);
    assertThat(got).containsExactlyElementsOf(NASTY);
  }

  @Test
  void exportedAssignmentsKeepValues() throws Exception {
    Map<String, String> env = new LinkedHashMap<>();
    for (int i = 0; i < NASTY.size(); i++) {
      env.put("V" + i, NASTY.get(i));
    }
    StringBuilder script = new StringBuilder(Shell.assignments(env, true));
    for (int i = 0; i < NASTY.size(); i++) {
      script.append("printf '%s\\0' \"$V").append(i).append("\"\n");
    }
    assertThat(runBash(script.toString())).containsExactlyElementsOf(NASTY);
  }

  @Test
  void quoteIsSingleQuoting() {
    assertThat(Shell.quote("it's")).isEqualTo("'it'\\''s'");
    assertThat(Shell.quote("")).isEqualTo("''");
  }

  @Test
  void rejectsBadVariableNames() {
    assertThatThrownBy(() -> Shell.name("A;B")).hasMessageContaining("not a shell variable name");
    assertThatThrownBy(() -> Shell.name("1A")).isInstanceOf(IllegalArgumentException.class);
    assertThat(Shell.name("_OK1")).isEqualTo("_OK1");
  }

  private static List<String> runBash(String script) throws Exception {
    Process p = new ProcessBuilder("bash", "-c", script).redirectErrorStream(false).start();
    byte[] out = p.getInputStream().readAllBytes();
    assertThat(p.waitFor()).isZero();
    String text = new String(out, StandardCharsets.UTF_8);
    List<String> parts = new ArrayList<>(List.of(text.split("\0", -1)));
    parts.remove(parts.size() - 1);
    return parts;
  }
}
