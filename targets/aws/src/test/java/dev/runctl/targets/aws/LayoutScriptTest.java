package dev.runctl.targets.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runctl.engine.spi.ManifestEntry;
import dev.runctl.engine.spi.MemoryFacts;
import dev.runctl.engine.spi.StepException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code remote/layout.py}, the pull on the instance, run by python3 against a stand-in AWS CLI
 * whose bucket is a folder ({@code fake-aws.py}): the first pull on an instance checks the role's
 * access in the same command, and its verdict reaches {@link InstanceAccess}.
 */
class LayoutScriptTest {
  private static final String BUCKET = "b";
  private static final String PROBE = "runctl/runs/r1/access/i-1";
  @TempDir Path dir;
  Path s3;
  Path bin;
  RunFacts facts;
  InstanceAccess access;

  @BeforeEach
  void setUp() throws IOException {
    s3 = Files.createDirectories(dir.resolve("s3"));
    bin = Files.createDirectories(dir.resolve("bin"));
    Path aws = bin.resolve("aws");
    try (InputStream in = getClass().getResourceAsStream("fake-aws.py")) {
      Files.write(aws, in.readAllBytes());
    }
    aws.toFile().setExecutable(true);
    facts = new RunFacts(new MemoryFacts());
    access = new InstanceAccess(facts, BUCKET, "runctl-ssm", "i-1", "runctl/runs/r1/");
  }

  @Test
  void theFirstPullWritesTheProbeBesideItsReadsAndLaysOutTheWorkdir() throws Exception {
    Json.Layout r = pull("");
    assertThat(r.access()).isEqualTo("ok");
    assertThat(s3.resolve(BUCKET).resolve(PROBE)).exists();
    assertThat(dir.resolve("work/train.py")).hasContent("print(1)\n");
    assertThat(r.written()).isEqualTo(1);
    access.verdict(r.access(), r.accessError());
    assertThat(access.probeKey()).as("checked once per instance").isEmpty();
    assertThat(Files.readAllLines(s3.resolve("calls.log")))
        .as("one AWS CLI for the probe, one for the manifest, one for the blobs")
        .hasSize(3);
  }

  @Test
  void aRoleThatMayNotWriteIsAFatalErrorNamingTheProfile() throws Exception {
    Json.Layout r = pull("put");
    assertThat(r.access()).isEqualTo("noput");
    assertThatThrownBy(() -> access.verdict(r.access(), r.accessError()))
        .isInstanceOf(StepException.class)
        .hasMessageContaining("cannot write to s3://b/runctl/")
        .hasMessageContaining("AccessDenied")
        .satisfies(e -> assertThat(((StepException) e).retryable()).as("fatal").isFalse());
    assertThat(access.probeKey()).as("checked again next time").isPresent();
  }

  @Test
  void aRoleThatMayNotReadIsAFatalErrorToo() throws Exception {
    Json.Layout r = pull("get");
    assertThat(r.access()).isEqualTo("noget");
    assertThatThrownBy(() -> access.verdict(r.access(), r.accessError()))
        .hasMessageContaining("cannot read from s3://b/runctl/")
        .hasMessageContaining("GetObject");
    assertThat(dir.resolve("work/train.py")).doesNotExist();
  }

  @Test
  void aPackBringsTheManifestAndTheSmallFilesInOneGetAndAWrongEntryIsFetchedAgain()
      throws Exception {
    Path project = Files.createDirectories(dir.resolve("project"));
    List<ManifestEntry> files = new java.util.ArrayList<>();
    Files.createDirectories(s3.resolve(BUCKET).resolve("runctl/blobs"));
    for (int i = 0; i < BlobPack.MIN_FILES; i++) {
      byte[] data = ("file " + i + "\n").getBytes(StandardCharsets.UTF_8);
      Files.write(project.resolve("f" + i), data);
      String sha = HexFormat.of().formatHex(BlobStore.sha256(data));
      files.add(new ManifestEntry("f" + i, data.length, 0, 0644, sha));
      Files.write(s3.resolve(BUCKET).resolve("runctl/blobs/" + sha), data);
    }
    // changed after it was hashed: left out of the pack, fetched from its blob
    Files.writeString(project.resolve("f7"), "changed\n");
    access.verdict("ok", "");
    byte[] manifest = Json.manifest(files);
    String msha = HexFormat.of().formatHex(BlobStore.sha256(manifest));
    Path pack = s3.resolve(BUCKET).resolve("runctl/runs/r1/packs/p.zip");
    Files.createDirectories(pack.getParent());
    Files.write(pack, BlobPack.build(project, files, manifest, msha).orElseThrow());

    Json.Layout r = pull("", manifest, msha, "runctl/runs/r1/packs/p.zip");
    assertThat(r.written()).isEqualTo(BlobPack.MIN_FILES);
    assertThat(dir.resolve("work/f7")).hasContent("file 7");
    assertThat(dir.resolve("work/f3")).hasContent("file 3");
    List<String> calls = Files.readAllLines(s3.resolve("calls.log"));
    assertThat(calls).as("the pack, then the one blob it lacked").hasSize(2);
    assertThat(calls.get(0)).contains("packs/p.zip");
  }

  private Json.Layout pull(String deny) throws Exception {
    byte[] file = "print(1)\n".getBytes(StandardCharsets.UTF_8);
    String sha = HexFormat.of().formatHex(BlobStore.sha256(file));
    Files.createDirectories(s3.resolve(BUCKET).resolve("runctl/blobs"));
    Files.write(s3.resolve(BUCKET).resolve("runctl/blobs/" + sha), file);
    byte[] manifest =
        Json.manifest(List.of(new ManifestEntry("train.py", file.length, 0, 0644, sha)));
    return pull(deny, manifest, "m", "");
  }

  private Json.Layout pull(String deny, byte[] manifest, String msha, String pack)
      throws Exception {
    String manifestKey = "runctl/blobs/" + msha;
    Files.write(s3.resolve(BUCKET).resolve(manifestKey), manifest);
    // the interpreter itself: a pyenv shim would put its own bin (and AWS CLI) first on PATH
    Process which =
        new ProcessBuilder("python3", "-c", "import sys; print(sys.executable)").start();
    String python =
        new String(which.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(which.waitFor(60, TimeUnit.SECONDS)).isTrue();
    // -S: without site-packages, so without botocore: the AWS CLI (the stand-in) does the work
    ProcessBuilder pb = new ProcessBuilder(python, "-S", "-c", RemoteShell.body("layout.py"));
    Map<String, String> env = pb.environment();
    env.put("PATH", bin + ":" + env.get("PATH"));
    env.put("FAKE_S3", s3.toString());
    env.put("FAKE_DENY", deny);
    env.put("RUNCTL_WORK", dir.resolve("work").toString());
    env.put("RUNCTL_STATE", dir.resolve("state").toString());
    env.put("RUNCTL_BLOBS", dir.resolve("blobs").toString());
    env.put("RUNCTL_BUCKET", BUCKET);
    env.put("RUNCTL_BLOB_PREFIX", "runctl/blobs/");
    env.put("RUNCTL_MANIFEST_KEY", manifestKey);
    env.put("RUNCTL_MANIFEST_SHA", msha);
    env.put("RUNCTL_REQUIRED", "[]");
    env.put("RUNCTL_PACK_KEY", pack);
    env.put("RUNCTL_ACCESS_KEY", access.probeKey().orElse(""));
    Process p = pb.redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    String line =
        out.lines()
            .filter(l -> l.startsWith("@@result "))
            .findFirst()
            .orElseThrow(() -> new AssertionError(out));
    return Json.layout(line.substring("@@result ".length()));
  }
}
