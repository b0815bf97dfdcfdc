package dev.runctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runctl.engine.spi.Liveness;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A run's liveness in JSON: flat fields of the run's object, none of them when not checked. */
class AliveJsonTest {
  private static String json(Alive live) {
    StringWriter out = new StringWriter();
    new Output(Output.Mode.JSON, new PrintWriter(out), new PrintWriter(new StringWriter()))
        .emit(
            new RunsCommand.RunRow(
                "r-1",
                "job",
                "failed",
                "2026-11-23T10:00:00Z",
                5,
                null,
                "",
                "/r/r-1",
                false,
                live));
    return out.toString().strip();
  }

  @Test
  void eachStateIsFlatInTheRunsObject() {
    assertThat(json(Alive.of(new Liveness.Known(List.of("i-1 running")))))
        .contains("\"liveCheck\":\"alive\",\"alive\":[\"i-1 running\"]")
        .doesNotContain("liveCheckError")
        .doesNotContain("\"live\"");
    assertThat(json(Alive.of(new Liveness.Known(List.of()))))
        .contains("\"liveCheck\":\"none\"")
        .doesNotContain("\"alive\"");
    assertThat(json(Alive.of(new Liveness.Unknown("no credentials"))))
        .contains("\"liveCheck\":\"unknown\",\"liveCheckError\":\"no credentials\"");
    assertThat(json(Alive.SKIPPED)).contains("\"liveCheck\":\"skipped\"");
    Alive noted = Alive.of(new Liveness.Known(List.of(), List.of("i-1 terminated itself")));
    assertThat(json(noted)).contains("\"notes\":[\"i-1 terminated itself\"]");
    assertThat(noted.noteLines()).isEqualTo("\n  note: i-1 terminated itself");
    assertThat(json(Alive.of(new Liveness.Known(List.of())))).doesNotContain("notes");
    assertThat(json(null)).doesNotContain("liveCheck").doesNotContain("alive");
  }
}
