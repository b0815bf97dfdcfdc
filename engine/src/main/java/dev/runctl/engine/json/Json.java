package dev.runctl.engine.json;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.PrettyPrinter;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.util.DefaultPrettyPrinter;

/**
 * The one JSON writer and reader of runctl: generators and parsers of one jackson-core factory, and
 * the few shapes every caller needs (an object on one line, a pretty document, a list of strings).
 */
public final class Json {
  private static final JsonFactory FACTORY = new JsonFactory();

  /** Indented as Jackson's default pretty printer does, for people who open the file. */
  private static final ObjectWriteContext PRETTY =
      new ObjectWriteContext.Base() {
        @Override
        public PrettyPrinter getPrettyPrinter() {
          return new DefaultPrettyPrinter();
        }

        @Override
        public boolean hasPrettyPrinter() {
          return true;
        }
      };

  private Json() {}

  /** A compact generator writing to {@code out}; closing it flushes but does not close out. */
  public static JsonGenerator generator(Writer out) {
    return FACTORY.createGenerator(ObjectWriteContext.empty(), out);
  }

  /** A compact generator writing UTF-8 to {@code out}. */
  public static JsonGenerator generator(OutputStream out) {
    return FACTORY.createGenerator(ObjectWriteContext.empty(), out);
  }

  /**
   * What {@code body} writes, compact: one line (strings escape their line breaks). Each thread
   * keeps one generator for this and reuses it line after line: {@code --output json} writes a line
   * per run event, and a generator's set-up (contexts, buffers, escape tables) cost more than the
   * writing (bench/journal-json.sh).
   */
  public static String line(Consumer<JsonGenerator> body) {
    Lines lines = LINES.get();
    if (lines.busy) { // a line written while writing one: its own generator
      StringWriter out = new StringWriter(160);
      try (JsonGenerator g = generator(out)) {
        body.accept(g);
      }
      return out.toString();
    }
    lines.busy = true;
    try {
      body.accept(lines.generator);
      lines.generator.flush();
      return lines.out.take();
    } catch (RuntimeException | Error e) {
      LINES.remove(); // the generator may be mid-value: the thread's next line gets a new one
      throw e;
    } finally {
      lines.busy = false;
    }
  }

  /** One thread's generator for {@link #line}: root values one after another, no separator. */
  private static final class Lines {
    final Buffer out = new Buffer();
    final JsonGenerator generator = LINE_FACTORY.createGenerator(ObjectWriteContext.empty(), out);
    boolean busy;
  }

  /** A writer whose text is taken, and the writer emptied, after each line. */
  private static final class Buffer extends Writer {
    private final StringBuilder b = new StringBuilder(256);

    @Override
    public void write(char[] chars, int off, int len) {
      b.append(chars, off, len);
    }

    @Override
    public void write(String str, int off, int len) {
      b.append(str, off, off + len);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}

    String take() {
      String s = b.toString();
      b.setLength(0);
      return s;
    }
  }

  private static final JsonFactory LINE_FACTORY =
      JsonFactory.builder().rootValueSeparator((String) null).build();

  private static final ThreadLocal<Lines> LINES = ThreadLocal.withInitial(Lines::new);

  /** What {@code body} writes, pretty-printed. */
  public static String pretty(Consumer<JsonGenerator> body) {
    StringWriter out = new StringWriter(1024);
    try (JsonGenerator g = FACTORY.createGenerator(PRETTY, out)) {
      body.accept(g);
    }
    return out.toString();
  }

  /** {@code items} as a JSON array of strings, each quoted and escaped. */
  public static String strings(List<String> items) {
    return line(
        g -> {
          g.writeStartArray();
          for (String item : items) {
            g.writeString(item);
          }
          g.writeEndArray();
        });
  }

  /** A parser of {@code text}. */
  public static JsonParser parser(String text) {
    return FACTORY.createParser(ObjectReadContext.empty(), text);
  }

  /** A parser of the UTF-8 (or UTF-16/32, detected) bytes of {@code in}. */
  public static JsonParser parser(InputStream in) {
    return FACTORY.createParser(ObjectReadContext.empty(), in);
  }

  /** {@code text} re-written compact (a pretty document on one line). */
  public static String compact(String text) {
    return line(g -> copy(text, g));
  }

  /** {@code text} re-written pretty-printed. */
  public static String pretty(String text) {
    return pretty(g -> copy(text, g));
  }

  /** Copies the one JSON value of {@code text} into {@code g}. */
  public static void copy(String text, JsonGenerator g) {
    try (JsonParser p = parser(text)) {
      p.nextToken();
      g.copyCurrentStructure(p);
    }
  }

  /**
   * The strings of the array at the parser's current token ({@code START_ARRAY}), the parser left
   * on its {@code END_ARRAY}.
   *
   * @throws IllegalArgumentException when the value is not an array of strings
   */
  public static List<String> readStrings(JsonParser p) {
    if (p.currentToken() != JsonToken.START_ARRAY) {
      throw new IllegalArgumentException("a list of strings expected, found " + p.currentToken());
    }
    List<String> out = new ArrayList<>();
    for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
      if (t != JsonToken.VALUE_STRING) {
        throw new IllegalArgumentException("a string expected in the list, found " + t);
      }
      out.add(p.getString());
    }
    return out;
  }

  /** The parser's own words about what is wrong, without its location block. */
  public static String problem(JacksonException e) {
    return e.getOriginalMessage();
  }
}
