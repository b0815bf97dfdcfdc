package dev.runctl.engine.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runctl.engine.spi.CommandSpec;
import dev.runctl.engine.spi.FileSlice;
import dev.runctl.engine.spi.Machine;
import dev.runctl.engine.spi.StepLog;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * What every target's {@link Machine#read(String, long, long)} must answer, checked against a real
 * machine: a file written and appended to by commands on it, read from offsets.
 */
public final class OffsetReads {
  private OffsetReads() {}

  /** Checks the reads of {@code machine}; its commands' output goes to {@code log}. */
  public static void check(Machine machine, StepLog log) throws InterruptedException {
    String file = "offset-reads/m.jsonl";
    run(machine, log, "mkdir -p offset-reads && printf 'one\\ntw' > offset-reads/m.jsonl");
    FileSlice first = machine.read(file, 0, 1 << 20).orElseThrow();
    assertThat(text(first)).isEqualTo("one\ntw");
    assertThat(first.size()).isEqualTo(6);
    assertThat(first.end()).isEqualTo(6);

    run(machine, log, "printf 'o\\nthree\\n' >> offset-reads/m.jsonl");
    FileSlice next = machine.read(file, first.end(), 1 << 20).orElseThrow();
    assertThat(text(next)).as("only what was appended").isEqualTo("o\nthree\n");
    assertThat(next.from()).isEqualTo(6);
    assertThat(next.size()).isEqualTo(14);
    assertThat(next.shrank()).isFalse();

    assertThat(text(machine.read(file, 4, 3).orElseThrow()))
        .as("at most maxBytes")
        .isEqualTo("two");
    FileSlice past = machine.read(file, 100, 10).orElseThrow();
    assertThat(past.bytes()).isEmpty();
    assertThat(past.shrank()).as("a file shorter than the offset").isTrue();
    assertThat(machine.read("offset-reads/none", 0, 10)).isEmpty();
    assertThat(machine.read(file, 1 << 20)).hasValueSatisfying(b -> assertThat(b).hasSize(14));
  }

  private static void run(Machine machine, StepLog log, String script) throws InterruptedException {
    assertThat(machine.exec(CommandSpec.of(List.of("sh", "-c", script), Map.of()), log).exitCode())
        .isZero();
  }

  private static String text(FileSlice slice) {
    return new String(slice.bytes(), StandardCharsets.UTF_8);
  }
}
