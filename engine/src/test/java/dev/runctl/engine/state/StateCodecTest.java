package dev.runctl.engine.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StateCodecTest {
  private static final Instant T = Instant.parse("2026-11-23T12:00:00.123456789Z");

  @Test
  void everyFieldSurvivesTheStreamedJsonAndBack() {
    Map<String, StepState> steps = new LinkedHashMap<>();
    steps.put(
        "train",
        new StepState(
            "train",
            StepStatus.FAILED,
            3,
            Optional.of(T),
            Optional.of(T.plusSeconds(90)),
            Map.of("epoch", "2", "quote", "say \"hi\"\n\ttab"),
            Optional.of("sha256:abc"),
            Optional.of("timeout"),
            "timed out after 1m30s"));
    steps.put("verify", StepState.pending("verify"));
    RunState s =
        new RunState(
            "job-20261123-120000-abcd",
            "job",
            "specs/job.yaml",
            RunStatus.FAILED,
            "step 'train' failed",
            T,
            Optional.of(T.plusSeconds(120)),
            2,
            Duration.ofMillis(98_765),
            4242,
            "host-1",
            Optional.of("0.42"),
            steps,
            Map.of("instance", "i-0abc"),
            List.of("a warning", "ünïcödé"));

    String json = StateCodec.encode(s, 12_345);
    StateCodec.Decoded back = StateCodec.decode(json);

    assertThat(back.state()).isEqualTo(s);
    assertThat(back.journalBytes()).isEqualTo(12_345);
    assertThat(json).startsWith("{\n  \"runId\" : \"job-20261123-120000-abcd\",\n");
  }

  @Test
  void aStateWithoutOptionalPartsRoundTrips() {
    RunState s =
        new RunState(
            "r",
            "j",
            "",
            RunStatus.RUNNING,
            "",
            T,
            Optional.empty(),
            0,
            Duration.ZERO,
            1,
            "",
            Optional.empty(),
            Map.of(),
            Map.of(),
            List.of());
    assertThat(StateCodec.decode(StateCodec.encode(s, -1)).state()).isEqualTo(s);
  }
}
