package dev.runctl.targets.aws.support;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runctl.targets.aws.moto.MotoServer;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The frame of an aws target integration test: a fresh {@link AwsHarness} against the class's
 * moto_server before each test, and after each the check that no instance was left running.
 */
public abstract class AwsTargetIT {
  @TempDir protected Path dir;
  protected AwsHarness aws;

  /** The class's server: a {@code @RegisterExtension static final MotoServer}. */
  protected abstract MotoServer moto();

  @BeforeEach
  void openHarness() {
    aws = new AwsHarness(moto(), dir);
  }

  @AfterEach
  void noInstanceLeftRunning() {
    try {
      assertThat(aws.alive()).as("instances left running").isEmpty();
    } finally {
      aws.close();
    }
  }
}
