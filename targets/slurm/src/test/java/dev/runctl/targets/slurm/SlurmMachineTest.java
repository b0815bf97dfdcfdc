package dev.runctl.targets.slurm;

import dev.runctl.engine.spi.MemoryFacts;
import dev.runctl.engine.testing.OffsetReads;
import dev.runctl.engine.testing.RecordingLog;
import dev.runctl.targets.local.LocalMachine;
import dev.runctl.targets.local.ProcessRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cluster as a machine: files and commands through the login node (this computer). */
class SlurmMachineTest {
  @TempDir Path dir;

  @Test
  void readsFromAnOffsetAnswerOnlyTheBytesFromThere() throws Exception {
    Path shared = Files.createDirectories(dir.resolve("shared/job"));
    LocalMachine login =
        new LocalMachine(
            "slurm-default",
            shared,
            dir.resolve("run/procs"),
            dir.resolve("cache"),
            false,
            new ProcessRunner(Duration.ofSeconds(5)));
    SlurmMachine machine =
        new SlurmMachine(
            login, BatchJobTest.jobs(new FakeSlurm(), shared, new MemoryFacts(), false), Map.of());
    OffsetReads.check(machine, new RecordingLog(dir.resolve("logs/reads.log")));
  }
}
