package dev.runctl.steps.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class IgnoreRulesTest {
  private static IgnoreRules rules(String... lines) {
    return IgnoreRules.NONE.with("", List.of(lines), "test");
  }

  @Test
  void unanchoredGlobsMatchAtAnyDepth() {
    IgnoreRules r = rules("*.pyc", "# a comment", "", "__pycache__/");
    assertThat(r.ignored("a.pyc", false)).isTrue();
    assertThat(r.ignored("x/y/a.pyc", false)).isTrue();
    assertThat(r.ignored("x/__pycache__", true)).isTrue();
    assertThat(r.ignored("x/__pycache__", false)).isFalse(); // dir/ matches folders only
    assertThat(r.ignored("a.py", false)).isFalse();
  }

  @Test
  void anchoredPatternsMatchFromTheirFolder() {
    IgnoreRules r = rules("/build", "docs/*.tmp");
    assertThat(r.ignored("build", true)).isTrue();
    assertThat(r.ignored("src/build", true)).isFalse();
    assertThat(r.ignored("docs/a.tmp", false)).isTrue();
    assertThat(r.ignored("docs/sub/a.tmp", false)).isFalse();
    IgnoreRules nested =
        IgnoreRules.NONE.with("sub", List.of("/only-here.txt", "*.log"), "sub/.gitignore");
    assertThat(nested.ignored("sub/only-here.txt", false)).isTrue();
    assertThat(nested.ignored("only-here.txt", false)).isFalse();
    assertThat(nested.ignored("sub/deep/x.log", false)).isTrue();
    assertThat(nested.ignored("x.log", false)).isFalse();
  }

  @Test
  void namesWithoutGlobSyntaxMatchExactly() {
    IgnoreRules r = rules("model.ckpt", "/notes.md", "cache/", "a[", "!keep.ckpt");
    assertThat(r.ignored("model.ckpt", false)).isTrue();
    assertThat(r.ignored("x/model.ckpt", false)).isTrue();
    assertThat(r.ignored("modelxckpt", false)).isFalse(); // the dot is no wildcard
    assertThat(r.ignored("model.ckpt.bak", false)).isFalse();
    assertThat(r.ignored("notes.md", false)).isTrue();
    assertThat(r.ignored("x/notes.md", false)).isFalse(); // anchored
    assertThat(r.ignored("x/cache", true)).isTrue();
    assertThat(r.ignored("x/cache", false)).isFalse();
    assertThat(r.ignored("a[", false)).isTrue(); // an unclosed class is a literal
    IgnoreRules nested = IgnoreRules.NONE.with("sub", List.of("w.bin"), "sub/.gitignore");
    assertThat(nested.ignored("sub/deep/w.bin", "w.bin", false)).isTrue();
    assertThat(nested.ignored("other/w.bin", "w.bin", false)).isFalse();
  }

  @Test
  void doubleStarAndNegation() {
    IgnoreRules r = rules("**/target/", "logs/**", "*.log", "!keep.log", "a/**/z.txt");
    assertThat(r.ignored("target", true)).isTrue();
    assertThat(r.ignored("m/n/target", true)).isTrue();
    assertThat(r.ignored("logs/x/y.txt", false)).isTrue();
    assertThat(r.ignored("debug.log", false)).isTrue();
    assertThat(r.ignored("d/keep.log", false)).isFalse();
    assertThat(r.ignored("a/z.txt", false)).isTrue();
    assertThat(r.ignored("a/b/c/z.txt", false)).isTrue();
    assertThat(r.ignored("b/z.txt", false)).isFalse();
  }

  @Test
  void classesAndQuestionMarks() {
    IgnoreRules r = rules("data[0-9].csv", "[!a]?.txt");
    assertThat(r.ignored("data7.csv", false)).isTrue();
    assertThat(r.ignored("dataX.csv", false)).isFalse();
    assertThat(r.ignored("bc.txt", false)).isTrue();
    assertThat(r.ignored("ac.txt", false)).isFalse();
  }
}
