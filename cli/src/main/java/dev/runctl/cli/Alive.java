package dev.runctl.cli;

import dev.runctl.engine.spi.Liveness;
import java.util.List;
import tools.jackson.core.JsonGenerator;

/**
 * A run's liveness as {@code runs} and {@code status} print it: in JSON (unwrapped into the run's
 * object) {@code liveCheck}, the resources {@code alive}, and {@code liveCheckError}, the cause
 * when the target could not tell.
 */
record Alive(State state, List<String> resources, String error, List<String> notes)
    implements EventJson.Fields {
  /** What the check found; in JSON its lower-case name. */
  enum State {
    ALIVE,
    NONE,
    UNKNOWN,
    SKIPPED;

    String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  @Override
  public void writeFields(JsonGenerator g) {
    g.writeStringProperty("liveCheck", state.label());
    if (resources != null) {
      g.writeName("alive");
      strings(g, resources);
    }
    if (error != null) {
      g.writeStringProperty("liveCheckError", error);
    }
    if (notes != null) {
      g.writeName("notes");
      strings(g, notes);
    }
  }

  private static void strings(JsonGenerator g, List<String> values) {
    g.writeStartArray();
    for (String v : values) {
      g.writeString(v);
    }
    g.writeEndArray();
  }

  /** Not asked: a runctl process holds the run, or {@code --no-check}. */
  static final Alive SKIPPED = new Alive(State.SKIPPED, null, null, null);

  static Alive of(Liveness l) {
    if (l instanceof Liveness.Known k) {
      return k.resources().isEmpty()
          ? new Alive(State.NONE, null, null, notesOf(k))
          : new Alive(State.ALIVE, k.resources(), null, notesOf(k));
    }
    return new Alive(State.UNKNOWN, null, ((Liveness.Unknown) l).cause(), null);
  }

  private static List<String> notesOf(Liveness.Known k) {
    return k.notes().isEmpty() ? null : k.notes();
  }

  /** What the target says happened without runctl, one line each ("\n note: ..."). */
  String noteLines() {
    StringBuilder b = new StringBuilder();
    if (notes != null) {
      notes.forEach(n -> b.append("\n  note: ").append(n));
    }
    return b.toString();
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
