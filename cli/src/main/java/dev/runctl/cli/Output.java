package dev.runctl.cli;

import dev.runctl.engine.RunctlException;
import dev.runctl.engine.spi.Diagnostic;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Everything a command prints goes through here, so that {@code --output text|json} holds for every
 * command. Text: human lines on stdout, diagnostics and errors on stderr. JSON: one object per line
 * on stdout, each with a {@code type}, diagnostics and errors included, so that a consumer reads
 * one stream.
 *
 * <p>How a command uses it: define a record implementing {@link CliEvent} per kind of line and call
 * {@link #emit}; call {@link #diagnostics} for spec problems; throw a {@link RunctlException} for
 * failures (the {@link ErrorHandler} calls {@link #error}). The Jackson mapper is built only in
 * JSON mode, to keep text start-up lean.
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
  private JsonMapper mapper;
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
      ObjectNode node = mapper().createObjectNode();
      node.put("type", event.type());
      JsonNode fields = mapper().valueToTree(event);
      if (fields instanceof ObjectNode o) {
        o.properties()
            .forEach(
                e -> {
                  if (!e.getKey().equals("type") && !e.getValue().isNull()) {
                    node.set(e.getKey(), e.getValue());
                  }
                });
      }
      out.println(mapper().writeValueAsString(node));
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
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("type", "diagnostic");
        o.put("file", d.position().file());
        o.put("line", d.position().line());
        o.put("column", d.position().column());
        o.put("severity", d.severity().label());
        o.put("message", d.message());
        o.put("hint", d.hint());
        line(out, mapper().valueToTree(o));
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
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("type", "error");
      o.put("message", message);
      o.put("hint", hint.orElse(null));
      line(out, mapper().valueToTree(o));
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

  private void line(PrintWriter w, JsonNode node) {
    w.println(mapper().writeValueAsString(node));
    w.flush();
  }

  private JsonMapper mapper() {
    if (mapper == null) {
      mapper = JsonMapper.builder().build();
    }
    return mapper;
  }
}
