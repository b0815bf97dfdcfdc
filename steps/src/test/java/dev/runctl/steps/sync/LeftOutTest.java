package dev.runctl.steps.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What sync leaves out, as plan and the sync log say it, over real files and ignore files. */
class LeftOutTest {
  @TempDir Path root;

  private Path file(String rel, String text) throws Exception {
    Path p = root.resolve(rel);
    Files.createDirectories(p.getParent());
    return Files.writeString(p, text);
  }

  private void sparse(String rel, long bytes) throws Exception {
    Path p = root.resolve(rel);
    Files.createDirectories(p.getParent());
    try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
      f.setLength(bytes);
    }
  }

  @Test
  void aNamedPathLeftOutByANestedGitignoreNamesTheRuleAndTheGlob() throws Exception {
    file("conf/.gitignore", "*.local.yaml\n!keep.local.yaml\n");
    file("conf/a.local.yaml", "x");
    file("conf/keep.local.yaml", "x");
    file("train.py", "x");
    LeftOut out = new LeftOut(root, List.of(), List.of());
    LeftOut.Item item = out.named("train", "conf/a.local.yaml").orElseThrow();
    assertThat(item.rule()).isEqualTo("conf/.gitignore: *.local.yaml");
    assertThat(item.glob()).isEqualTo("conf/a.local.yaml");
    assertThat(item.message()).startsWith("step 'train' names 'conf/a.local.yaml'");
    assertThat(out.named("train", "conf/keep.local.yaml")).isEmpty();
    assertThat(out.named("train", "train.py")).isEmpty();
    assertThat(out.named("train", "not-there.yaml")).as("only files that exist").isEmpty();
    assertThat(out.named("train", "../outside.yaml")).isEmpty();
  }

  @Test
  void aFileUnderAnExcludedFolderIsLeftOutUnlessAnIncludeNamesItOrAFolderAboveIt()
      throws Exception {
    file(".gitignore", "data/\n");
    file("data/small/a.txt", "a");
    file("data/b.txt", "b");
    assertThat(new LeftOut(root, List.of(), List.of()).named("s", "data/small/a.txt"))
        .get()
        .extracting(LeftOut.Item::rule)
        .isEqualTo(".gitignore: data/");
    LeftOut included = new LeftOut(root, List.of(), List.of("/data/small/"));
    assertThat(included.named("s", "data/small/a.txt")).isEmpty();
    assertThat(included.named("s", "data/b.txt")).isPresent();
    assertThat(new LeftOut(root, List.of(), List.of("*.txt")).named("s", "data/b.txt")).isEmpty();
    assertThat(new LeftOut(root, List.of("data/b.txt"), List.of()).named("s", "data/b.txt"))
        .get()
        .extracting(LeftOut.Item::rule)
        .as("the first rule that leaves it out: the folder")
        .isEqualTo(".gitignore: data/");
  }

  @Test
  void largeFoldersLeftOutByIgnoreFilesAreReportedButNotThoseTheSpecExcludes() throws Exception {
    file(".gitignore", "datasets/\nweights.bin\nsmall/\n.venv/\nnested/raw/\n");
    sparse("datasets/imagenet/part-0", 150_000_000L);
    sparse("weights.bin", 120_000_000L);
    file("small/x", "tiny");
    sparse(".venv/lib/torch.so", 900_000_000L);
    sparse("nested/raw/big", 200_000_000L);
    sparse("excluded/big", 200_000_000L);
    List<LeftOut.Item> large = new LeftOut(root, List.of("excluded/"), List.of()).large();
    assertThat(large)
        .extracting(LeftOut.Item::path, LeftOut.Item::folder, LeftOut.Item::rule)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("datasets", true, ".gitignore: datasets/"),
            org.assertj.core.groups.Tuple.tuple("nested/raw", true, ".gitignore: nested/raw/"),
            org.assertj.core.groups.Tuple.tuple("weights.bin", false, ".gitignore: weights.bin"));
    assertThat(large.get(0).glob()).isEqualTo("/datasets/");
    assertThat(large.get(1).glob()).isEqualTo("nested/raw/");
    assertThat(large.get(0).message())
        .isEqualTo("sync leaves out datasets/ (more than 100 MB; .gitignore: datasets/)");
    assertThat(new LeftOut(root, List.of(), List.of("/datasets/")).large())
        .extracting(LeftOut.Item::path)
        .doesNotContain("datasets");
  }

  @Test
  void includesKnowWhichLeftOutFoldersToLookThrough() {
    Includes anchored = Includes.of(List.of("/data/small/", "configs/*.yaml"));
    assertThat(anchored.mayMatchUnder("data")).isTrue();
    assertThat(anchored.mayMatchUnder("data/small")).isTrue();
    assertThat(anchored.mayMatchUnder("data/small/deep")).isTrue();
    assertThat(anchored.mayMatchUnder("data/other")).isFalse();
    assertThat(anchored.mayMatchUnder("configs")).isTrue();
    assertThat(anchored.mayMatchUnder(".venv")).isFalse();
    assertThat(Includes.of(List.of("*.ckpt")).mayMatchUnder(".venv")).isTrue();
    assertThat(Includes.NONE.mayMatchUnder("data")).isFalse();
  }
}
