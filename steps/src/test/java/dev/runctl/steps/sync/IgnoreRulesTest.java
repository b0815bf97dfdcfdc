package dev.runctl.steps.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class IgnoreRulesTest {
  private static boolean ignored(IgnoreRules r, String path, boolean isDir) {
    return r.ignored(path, path.substring(path.lastIndexOf('/') + 1), isDir);
  }

  private static IgnoreRules rules(String... lines) {
    return IgnoreRules.NONE.with("", List.of(lines), "test");
  }

  @Test
  void unanchoredGlobsMatchAtAnyDepth() {
    IgnoreRules r = rules("*.pyc", "# a comment", "", "__pycache__/");
    assertThat(ignored(r, "a.pyc", false)).isTrue();
    assertThat(ignored(r, "x/y/a.pyc", false)).isTrue();
    assertThat(ignored(r, "x/__pycache__", true)).isTrue();
    assertThat(ignored(r, "x/__pycache__", false)).isFalse(); // dir/ matches folders only
    assertThat(ignored(r, "a.py", false)).isFalse();
  }

  @Test
  void anchoredPatternsMatchFromTheirFolder() {
    IgnoreRules r = rules("/build", "docs/*.tmp");
    assertThat(ignored(r, "build", true)).isTrue();
    assertThat(ignored(r, "src/build", true)).isFalse();
    assertThat(ignored(r, "docs/a.tmp", false)).isTrue();
    assertThat(ignored(r, "docs/sub/a.tmp", false)).isFalse();
    IgnoreRules nested =
        IgnoreRules.NONE.with("sub", List.of("/only-here.txt", "*.log"), "sub/.gitignore");
    assertThat(ignored(nested, "sub/only-here.txt", false)).isTrue();
    assertThat(ignored(nested, "only-here.txt", false)).isFalse();
    assertThat(ignored(nested, "sub/deep/x.log", false)).isTrue();
    assertThat(ignored(nested, "x.log", false)).isFalse();
  }

  @Test
  void namesWithoutGlobSyntaxMatchExactly() {
    IgnoreRules r = rules("model.ckpt", "/notes.md", "cache/", "a[", "!keep.ckpt");
    assertThat(ignored(r, "model.ckpt", false)).isTrue();
    assertThat(ignored(r, "x/model.ckpt", false)).isTrue();
    assertThat(ignored(r, "modelxckpt", false)).isFalse(); // the dot is no wildcard
    assertThat(ignored(r, "model.ckpt.bak", false)).isFalse();
    assertThat(ignored(r, "notes.md", false)).isTrue();
    assertThat(ignored(r, "x/notes.md", false)).isFalse(); // anchored
    assertThat(ignored(r, "x/cache", true)).isTrue();
    assertThat(ignored(r, "x/cache", false)).isFalse();
    assertThat(ignored(r, "a[", false)).isTrue(); // an unclosed class is a literal
    IgnoreRules nested = IgnoreRules.NONE.with("sub", List.of("w.bin"), "sub/.gitignore");
    assertThat(nested.ignored("sub/deep/w.bin", "w.bin", false)).isTrue();
    assertThat(nested.ignored("other/w.bin", "w.bin", false)).isFalse();
  }

  @Test
  void doubleStarAndNegation() {
    IgnoreRules r = rules("**/target/", "logs/**", "*.log", "!keep.log", "a/**/z.txt");
    assertThat(ignored(r, "target", true)).isTrue();
    assertThat(ignored(r, "m/n/target", true)).isTrue();
    assertThat(ignored(r, "logs/x/y.txt", false)).isTrue();
    assertThat(ignored(r, "debug.log", false)).isTrue();
    assertThat(ignored(r, "d/keep.log", false)).isFalse();
    assertThat(ignored(r, "a/z.txt", false)).isTrue();
    assertThat(ignored(r, "a/b/c/z.txt", false)).isTrue();
    assertThat(ignored(r, "b/z.txt", false)).isFalse();
  }

  @Test
  void classesAndQuestionMarks() {
    IgnoreRules r = rules("data[0-9].csv", "[!a]?.txt");
    assertThat(ignored(r, "data7.csv", false)).isTrue();
    assertThat(ignored(r, "dataX.csv", false)).isFalse();
    assertThat(ignored(r, "bc.txt", false)).isTrue();
    assertThat(ignored(r, "ac.txt", false)).isFalse();
  }
}
