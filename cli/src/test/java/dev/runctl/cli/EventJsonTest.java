package dev.runctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Constructor;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every kind of line the CLI prints with {@code --output json}, one case per {@link CliEvent}
 * record: filled with strings that need escaping (control characters, quotes, non-ASCII), written
 * by {@link Output}, then read back by Jackson's own mapper (the test's oracle): one line, {@code
 * type} first, every component there with the value databind would have written for it.
 */
class EventJsonTest {
  static final String NASTY = "a\bb\fc\u0000d\u001f \"q\" \\ caf\u00e9 \u2028 \ud83d\ude80\r\n\t";
  static final JsonMapper ORACLE = JsonMapper.shared();

  static Stream<Class<?>> events() {
    List<Class<?>> out = new ArrayList<>();
    for (JavaClass c :
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.runctl.cli")) {
      Class<?> type = c.reflect();
      if (type.isRecord() && CliEvent.class.isAssignableFrom(type)) {
        out.add(type);
      }
    }
    assertThat(out).hasSizeGreaterThan(25);
    return out.stream();
  }

  @ParameterizedTest
  @MethodSource("events")
  void isOneLineThatParsesBackToItsComponents(Class<?> type) throws Exception {
    CliEvent event = (CliEvent) sample(type);
    StringWriter out = new StringWriter();
    new Output(Output.Mode.JSON, new PrintWriter(out), new PrintWriter(new StringWriter()))
        .emit(event);
    String line = out.toString();
    assertThat(line).endsWith("\n");
    assertThat(line.strip()).doesNotContain("\n", "\r", "\b", "\f", "\u0000");
    JsonNode back = ORACLE.readTree(line);
    List<String> names = new ArrayList<>(back.propertyNames());
    assertThat(names.get(0)).isEqualTo("type");
    assertThat(back.get("type").asString()).isEqualTo(event.type());
    for (RecordComponent c : type.getRecordComponents()) {
      c.getAccessor().setAccessible(true);
      Object value = c.getAccessor().invoke(event);
      if (c.isAnnotationPresent(EventJson.TextOnly.class)) {
        assertThat(names).as(c.getName()).doesNotContain(c.getName());
      } else if (value instanceof EventJson.Fields) {
        assertThat(names).as(c.getName()).doesNotContain(c.getName()); // AliveJsonTest
      } else if (value instanceof EventJson.RawJson raw) {
        assertThat(back.get(c.getName())).isEqualTo(ORACLE.readTree(raw.text()));
      } else {
        // as text: the oracle reads 12.5 back as a double, and holds a BigDecimal as a decimal
        assertThat(String.valueOf(back.get(c.getName())))
            .as(type.getSimpleName() + "." + c.getName())
            .isEqualTo(String.valueOf(ORACLE.<JsonNode>valueToTree(value)));
      }
    }
  }

  /** A record of {@code type} whose every component holds something, strings the nasty one. */
  static Object sample(Type type) throws Exception {
    if (type instanceof ParameterizedType p) {
      Class<?> raw = (Class<?>) p.getRawType();
      Type[] args = p.getActualTypeArguments();
      if (raw == List.class || raw == java.util.Collection.class) {
        return List.of(sample(args[0]), sample(args[0]));
      }
      if (raw == Map.class) {
        Map<Object, Object> m = new LinkedHashMap<>();
        m.put(NASTY, sample(args[1]));
        m.put("second", sample(args[1]));
        return m;
      }
      if (raw == Optional.class) {
        return Optional.of(sample(args[0]));
      }
      throw new AssertionError("no sample for " + type);
    }
    Class<?> c = (Class<?>) type;
    if (c == String.class) {
      return NASTY;
    } else if (c == int.class || c == Integer.class) {
      return -7;
    } else if (c == long.class || c == Long.class) {
      return 1L << 40;
    } else if (c == boolean.class || c == Boolean.class) {
      return true;
    } else if (c == double.class || c == Double.class) {
      return 0.125;
    } else if (c == BigDecimal.class) {
      return new BigDecimal("12.5");
    } else if (c == EventJson.RawJson.class) {
      return new EventJson.RawJson("{\n  \"a\" : [ 1, \"\\u0000\\b\", {\"c\": null} ]\n}");
    } else if (c == CliEvent.class) { // a text-only wrapper's line: any event will do
      return sample(LogEcho.Line.class);
    } else if (c.isEnum()) {
      return c.getEnumConstants()[0];
    } else if (c.isRecord()) {
      RecordComponent[] parts = c.getRecordComponents();
      Object[] values = new Object[parts.length];
      Class<?>[] types = new Class<?>[parts.length];
      for (int i = 0; i < parts.length; i++) {
        values[i] = sample(parts[i].getGenericType());
        types[i] = parts[i].getType();
      }
      Constructor<?> k = c.getDeclaredConstructor(types);
      k.setAccessible(true);
      return k.newInstance(values);
    }
    throw new AssertionError("no sample for " + type);
  }
}
