package dev.runctl.engine.plan;

import dev.runctl.engine.spi.ConfigNode;
import dev.runctl.engine.spi.Position;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ${{ steps.<id>.outputs.<key> }}}, {@code ${{ run.id }}}, {@code ${{ env.<NAME> }}} and
 * {@code ${{ matrix.<name> }}} in strings under {@code with:} and {@code env:}: finding them (for
 * plan-time checks) and substituting them (at execution).
 */
public final class Expressions {
  private static final Pattern EXPR = Pattern.compile("\\$\\{\\{\\s*(.*?)\\s*}}");
  private static final Pattern STEP_OUTPUT =
      Pattern.compile("steps\\.([a-z][a-z0-9_-]*)\\.outputs\\.([A-Za-z0-9_.-]+)");
  private static final Pattern ENV = Pattern.compile("env\\.([A-Za-z_][A-Za-z0-9_]*)");
  private static final Pattern MATRIX = Pattern.compile("matrix\\.([A-Za-z_][A-Za-z0-9_-]*)");

  private Expressions() {}

  /** A parsed reference. */
  public sealed interface Ref permits StepOutput, RunId, Env, Matrix, Invalid {
    String text();
  }

  public record StepOutput(String text, String stepId, String key) implements Ref {}

  public record RunId(String text) implements Ref {}

  public record Env(String text, String name) implements Ref {}

  /** {@code ${{ matrix.<name> }}}: a value of the sweep child's combination. */
  public record Matrix(String text, String name) implements Ref {}

  /** Text between {@code ${{ }}} that is none of the supported forms. */
  public record Invalid(String text) implements Ref {}

  public static Ref parse(String inner) {
    Matcher m = STEP_OUTPUT.matcher(inner);
    if (m.matches()) {
      return new StepOutput(inner, m.group(1), m.group(2));
    }
    if (inner.equals("run.id")) {
      return new RunId(inner);
    }
    Matcher e = ENV.matcher(inner);
    if (e.matches()) {
      return new Env(inner, e.group(1));
    }
    Matcher x = MATRIX.matcher(inner);
    if (x.matches()) {
      return new Matrix(inner, x.group(1));
    }
    return new Invalid(inner);
  }

  /** Every reference in {@code text}, in order. */
  public static List<Ref> references(String text) {
    List<Ref> refs = new ArrayList<>();
    if (text == null || !text.contains("${{")) {
      return refs;
    }
    Matcher m = EXPR.matcher(text);
    while (m.find()) {
      refs.add(parse(m.group(1)));
    }
    return refs;
  }

  /**
   * The names of the environment variables {@code text} reads ({@code ${{ env.X }}}), each once, in
   * order: what a run masks as secrets and what a resume needs set.
   */
  public static java.util.Set<String> environmentNames(String text) {
    java.util.LinkedHashSet<String> names = new java.util.LinkedHashSet<>();
    for (Ref ref : references(text)) {
      if (ref instanceof Env e) {
        names.add(e.name());
      }
    }
    return names;
  }

  /**
   * Substitutes every reference; {@code lookup} answers a reference's value or empty when it has
   * none, which leaves an {@link UnresolvedException}.
   */
  public static String resolve(String text, Function<Ref, Optional<String>> lookup) {
    if (text == null || !text.contains("${{")) {
      return text;
    }
    Matcher m = EXPR.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      Ref ref = parse(m.group(1));
      String value = lookup.apply(ref).orElseThrow(() -> new UnresolvedException(ref));
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** True when some string scalar of {@code node} holds a {@code ${{ }}} expression. */
  public static boolean any(ConfigNode node) {
    if (node instanceof ConfigNode.Scalar s) {
      return s.kind() == ConfigNode.Kind.STRING && s.value().contains("${{");
    }
    if (node instanceof ConfigNode.Seq q) {
      return q.items().stream().anyMatch(Expressions::any);
    }
    return ((ConfigNode.Mapping) node).entries().values().stream().anyMatch(Expressions::any);
  }

  /** The same tree with every string scalar resolved. */
  public static ConfigNode resolve(ConfigNode node, Function<Ref, Optional<String>> lookup) {
    if (node instanceof ConfigNode.Scalar s) {
      return s.kind() == ConfigNode.Kind.STRING
          ? new ConfigNode.Scalar(resolve(s.value(), lookup), s.kind(), s.position())
          : s;
    }
    if (node instanceof ConfigNode.Seq q) {
      return new ConfigNode.Seq(
          q.items().stream().map(i -> resolve(i, lookup)).toList(), q.position());
    }
    ConfigNode.Mapping mp = (ConfigNode.Mapping) node;
    Map<String, ConfigNode> entries = new LinkedHashMap<>();
    mp.entries().forEach((k, v) -> entries.put(k, resolve(v, lookup)));
    return new ConfigNode.Mapping(entries, mp.keys(), mp.position());
  }

  public static ConfigNode.Mapping resolve(
      ConfigNode.Mapping node, Function<Ref, Optional<String>> lookup) {
    return (ConfigNode.Mapping) resolve((ConfigNode) node, lookup);
  }

  /** A reference with no value at execution time. */
  public static final class UnresolvedException extends dev.runctl.engine.RunctlException {
    private static final long serialVersionUID = 1L;

    public UnresolvedException(Ref ref) {
      super("expression ${{ " + ref.text() + " }} has no value", null);
    }
  }

  /** Position-carrying helper for diagnostics about expressions. */
  public record Located(Ref ref, Position position) {}
}
