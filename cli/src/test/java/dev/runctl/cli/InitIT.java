package dev.runctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code runctl init} in a fresh project folder, and {@code runctl plan} on what it wrote. */
class InitIT {
  @TempDir Path dir;
  Path proj;
  Runctl runctl;

  @BeforeEach
  void setUp() throws Exception {
    proj = Files.createDirectories(dir.resolve("My Project"));
    Files.createDirectories(proj.resolve("src"));
    Files.writeString(proj.resolve("src/train.py"), "print('training')\n");
    Files.writeString(proj.resolve("src/train_utils_test.py"), "\n");
    Files.writeString(proj.resolve("requirements.txt"), "\n");
    Files.writeString(proj.resolve(".gitignore"), "data/\n");
    runctl = new Runctl(dir).from(proj);
  }

  @Test
  void writesACommentedSpecThatPlanAccepts() throws Exception {
    Runctl.Result init = runctl.run("init");
    assertThat(init.exitCode()).as(init.toString()).isZero();
    assertThat(init.stdout()).contains("wrote ").contains("training script src/train.py");
    String yaml = Files.readString(proj.resolve("job.yaml"));
    assertThat(yaml)
        .startsWith("# yaml-language-server: $schema=.runctl/job.schema.json\n")
        .contains("name: my-project")
        .contains("script: src/train.py")
        .contains("requirements: requirements.txt")
        .contains("what .gitignore lists is left out");
    assertThat(proj.resolve(".runctl/job.schema.json")).isNotEmptyFile();
    Runctl.Result plan = runctl.run("plan", "job.yaml");
    assertThat(plan.exitCode()).as(plan.toString()).isZero();

    Runctl.Result again = runctl.run("init");
    assertThat(again.exitCode()).isEqualTo(2);
    assertThat(again.stderr()).contains("job.yaml exists already").contains("--force");
    assertThat(Files.readString(proj.resolve("job.yaml"))).isEqualTo(yaml);
  }

  @Test
  void aScriptGivenAndATargetBlock() throws Exception {
    Runctl.Result aws = runctl.run("init", "src/train.py", "--target", "aws");
    assertThat(aws.exitCode()).as(aws.toString()).isZero();
    String yaml = Files.readString(proj.resolve("job.yaml"));
    assertThat(yaml).contains("provider: aws").contains("CHANGE ME").contains("bucket:");
    Runctl.Result plan = runctl.run("plan", "job.yaml");
    assertThat(plan.exitCode()).as(plan.toString()).isZero();

    for (String target : new String[] {"ssh", "slurm"}) {
      Runctl.Result r = runctl.run("init", "--force", "--target", target);
      assertThat(r.exitCode()).as(r.toString()).isZero();
      assertThat(Files.readString(proj.resolve("job.yaml")))
          .contains("provider: " + target)
          .contains(target.equals("ssh") ? "host: gpu-box" : "partition: gpu");
    }
  }

  @Test
  void noScriptAndAMissingScriptSayWhatToDo() throws Exception {
    Path empty = Files.createDirectories(dir.resolve("empty"));
    Runctl.Result none = new Runctl(dir).from(empty).run("init");
    assertThat(none.exitCode()).isEqualTo(2);
    assertThat(none.stderr()).contains("no train*.py in").contains("runctl init path/to/script.py");
    Runctl.Result missing = runctl.run("init", "nope.py");
    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(missing.stderr()).contains("nope.py does not exist");
    assertThat(proj.resolve("job.yaml")).doesNotExist();
    Runctl.Result badTarget = runctl.run("init", "--target", "gcp");
    assertThat(badTarget.exitCode()).isEqualTo(2);
  }
}
