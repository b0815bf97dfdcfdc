package dev.runctl.targets.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runctl.engine.spi.ManifestEntry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonTest {
  private static final String ODD = "dir/a \"quoted\" \\ name\twith\nnewline\b\f\u0001 ünï";

  /** The regex parser this replaced turned \b into 'b' and \f into 'f'. */
  @Test
  void everyJsonEscapeIsReadBack() {
    Json.Layout r =
        Json.layout(
            "{\"written\": 3, \"deleted\": 1, \"missing\": [\"a\\bb\", \"c\\fd\", \"\\u00fc\\/\"],"
                + " \"missing_blobs\": [], \"extra\": {\"x\": [1]}}");
    assertThat(r.written()).isEqualTo(3);
    assertThat(r.deleted()).isEqualTo(1);
    assertThat(r.missing()).containsExactly("a\bb", "c\fd", "ü/");
    assertThat(r.missingBlobs()).isEmpty();
  }

  @Test
  void whatPythonWritesAndReadsRoundTrips(@TempDir Path dir)
      throws IOException, InterruptedException {
    byte[] manifest = Json.manifest(List.of(new ManifestEntry(ODD, 3, 0, 0755, "ab")));
    Path file = Files.write(dir.resolve("manifest.json"), manifest);
    String script =
        "import json,sys\n"
            + "m = json.load(open(sys.argv[1], encoding='utf-8'))\n"
            + "f = m['files'][0]\n"
            + "print(json.dumps({'written': f['z'], 'deleted': f['m'], 'missing': [f['p'], f['s']],"
            + " 'missing_blobs': []}))\n";
    Process p =
        new ProcessBuilder("python3", "-c", script, file.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    Json.Layout back = Json.layout(out);
    assertThat(back.missing()).containsExactly(ODD, "ab");
    assertThat(back.written()).isEqualTo(3);
    assertThat(back.deleted()).isEqualTo(0755);
    assertThat(Json.list(List.of(ODD, "b"))).startsWith("[\"dir/a \\\"quoted\\\" \\\\ name\\t");
  }

  @Test
  void somethingElseIsRefusedWithWhatItWas() {
    assertThatThrownBy(() -> Json.layout("[1]"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a layout result");
    assertThatThrownBy(() -> Json.layout("{\"missing\": [1]}"))
        .hasMessageContaining("VALUE_STRING expected");
  }
}
