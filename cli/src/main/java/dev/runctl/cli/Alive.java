package dev.runctl.cli;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.runctl.engine.spi.Liveness;
import java.util.List;

/**
 * A run's liveness as {@code runs} and {@code status} print it: in JSON (unwrapped into the run's
 * object) {@code liveCheck}, the resources {@code alive}, and {@code liveCheckError}, the cause
 * when the target could not tell.
 */
record Alive(
    @JsonProperty("liveCheck") State state,
    @JsonProperty("alive") List<String> resources,
    @JsonProperty("liveCheckError") String error) {
  /** What the check found; in JSON its lower-case name. */
  enum State {
    ALIVE,
    NONE,
    UNKNOWN,
    SKIPPED;

    @JsonValue
    String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** Not asked: a runctl process holds the run, or {@code --no-check}. */
  static final Alive SKIPPED = new Alive(State.SKIPPED, null, null);

  static Alive of(Liveness l) {
    if (l instanceof Liveness.Known k) {
      return k.resources().isEmpty()
          ? new Alive(State.NONE, null, null)
          : new Alive(State.ALIVE, k.resources(), null);
    }
    return new Alive(State.UNKNOWN, null, ((Liveness.Unknown) l).cause());
  }

  boolean leaks() {
    return resources != null;
  }

  /** The ALIVE column: LEAK, - (nothing), ? (unknown), blank (not asked). */
  String marker() {
    return switch (state) {
      case ALIVE -> "LEAK";
      case NONE -> "-";
      case UNKNOWN -> "?";
      case SKIPPED -> "";
    };
  }

  /**
   * The lines under a leaking run: each resource, then how to end them ({@code resumable}: the run
   * was interrupted, and a resume finishes it, teardown included).
   */
  String detail(String runId, boolean resumable) {
    if (!leaks()) {
      return "";
    }
    StringBuilder b = new StringBuilder();
    resources.forEach(r -> b.append("\n  still alive: ").append(r));
    String them = resources.size() == 1 ? "it" : "them";
    b.append("\n  `runctl destroy ").append(runId).append("` tears ").append(them).append(" down");
    if (resumable) {
      b.append(", or `runctl resume ")
          .append(runId)
          .append("` finishes the run (its teardown ends ")
          .append(them)
          .append(")");
    }
    return b.toString();
  }
}
