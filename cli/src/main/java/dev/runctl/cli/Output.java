package dev.runctl.cli;

import dev.runctl.engine.RunctlException;
import dev.runctl.engine.json.Json;
import dev.runctl.engine.spi.Diagnostic;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;

/**
 * Everything a command prints goes through here, so that {@code --output text|json} holds for every
 * command. Text: human lines on stdout, diagnostics and errors on stderr. JSON: one object per line
 * on stdout, each with a {@code type}, diagnostics and errors included, so that a consumer reads
 * one stream.
 *
 * <p>How a command uses it: define a record implementing {@link CliEvent} per kind of line and call
 * {@link #emit}; call {@link #diagnostics} for spec problems; throw a {@link RunctlException} for
 * failures (the {@link ErrorHandler} calls {@link #error}). JSON lines are written by {@link
 * EventJson} through the one generator ({@link Json}).
 */
public final class Output {
  /** The output format chosen by {@code --output}. */
  public enum Mode {
    TEXT,
    JSON;

    /** The mode named {@code text} or {@code json}, in any case; empty for anything else. */
    static java.util.Optional<Mode> named(String name) {
      return switch (name.toLowerCase(java.util.Locale.ROOT)) {
        case "text" -> java.util.Optional.of(TEXT);
        case "json" -> java.util.Optional.of(JSON);
        default -> java.util.Optional.empty();
      };
    }
  }

  private final Mode mode;
  private final PrintWriter out;
  private final PrintWriter err;
  private boolean colour;

  public Output(Mode mode, PrintWriter out, PrintWriter err) {
    this.mode = mode;
    this.out = out;
    this.err = err;
  }

  /** Colours text lines by their {@link CliEvent#tone()} ({@link Tone#wanted} decides). */
  Output colour(boolean on) {
    this.colour = on;
    return this;
  }

  /** Whether text lines are coloured. */
  boolean colour() {
    return colour && !json();
  }

  public boolean json() {
    return mode == Mode.JSON;
  }

  /** The writer for human output (for progress rendering that needs it); text mode only. */
  public PrintWriter out() {
    return out;
  }

  public void emit(CliEvent event) {
    emit(event, true);
  }

  /**
   * {@link #emit} without flushing, for many lines in a row (a log); {@link #flush} after them. A
   * line per write would cost a system call per line.
   */
  void emitBuffered(CliEvent event) {
    emit(event, false);
  }

  void flush() {
    out.flush();
  }

  private void emit(CliEvent event, boolean flush) {
    if (json()) {
      out.println(EventJson.line(event));
    } else if (!event.text().isEmpty()) {
      out.println(event.tone().paint(event.text(), colour));
    }
    if (flush) {
      out.flush();
    }
  }

  /** Spec problems: rendered on stderr in text mode, {@code diagnostic} objects in JSON. */
  public void diagnostics(List<Diagnostic> diagnostics) {
    for (Diagnostic d : diagnostics) {
      if (json()) {
        line(
            Json.line(
                g -> {
                  g.writeStartObject();
                  g.writeStringProperty("type", "diagnostic");
                  g.writeStringProperty("file", d.position().file());
                  g.writeNumberProperty("line", d.position().line());
                  g.writeNumberProperty("column", d.position().column());
                  g.writeStringProperty("severity", d.severity().label());
                  g.writeStringProperty("message", d.message());
                  g.writeStringProperty("hint", d.hint());
                  g.writeEndObject();
                }));
      } else {
        Tone tone =
            d.severity() == dev.runctl.engine.spi.Severity.ERROR ? Tone.FAILURE : Tone.WARNING;
        err.println(tone.paint(d.render(), colour));
      }
    }
    err.flush();
  }

  /** A failure: {@code error: message} and its hint; with {@code debug}, the stack trace too. */
  public void error(String message, Optional<String> hint, Throwable cause, boolean debug) {
    if (json()) {
      line(
          Json.line(
              g -> {
                g.writeStartObject();
                g.writeStringProperty("type", "error");
                g.writeStringProperty("message", message);
                g.writeStringProperty("hint", hint.orElse(null));
                g.writeEndObject();
              }));
    } else {
      err.println(Tone.FAILURE.paint("error: " + message, colour));
      hint.ifPresent(h -> err.println("  hint: " + h));
    }
    if (debug && cause != null) {
      cause.printStackTrace(err);
    }
    err.flush();
  }

  public void error(RunctlException e, boolean debug) {
    error(e.getMessage(), e.hint(), e, debug);
  }

  /** A line for the user on stderr (text mode only): notes that are not the command's result. */
  public void note(String text) {
    if (!json()) {
      err.println(text);
      err.flush();
    }
  }

  private void line(String json) {
    out.println(json);
    out.flush();
  }
}
