package dev.runctl.steps.sync;

import dev.runctl.steps.support.Globs;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A gitignore subset: globs ({@code *}, {@code ?}, {@code **}, classes), {@code dir/} for folders
 * only, {@code !pattern} to re-include, {@code /x} (or any pattern with an inner slash) anchored to
 * the folder of the file that holds it, comments and blank lines. The last matching rule wins; a
 * folder that is excluded is not entered, so nothing under it can be re-included (as in git).
 * Immutable: a subfolder's rules are its parent's plus its own ignore files.
 */
final class IgnoreRules {
  /**
   * {@code basename}: the pattern has no slash, so it is matched against the last segment only;
   * {@code literal}: the pattern without glob characters (compared as a string, no regex), else
   * null; {@code prefix}: {@code base + "/"}, or "" for the workdir's own rules.
   */
  record Rule(
      String base,
      Pattern pattern,
      String literal,
      boolean negated,
      boolean dirOnly,
      boolean basename,
      String source) {
    String prefix() {
      return base.isEmpty() ? "" : base + "/";
    }
  }

  static final IgnoreRules NONE = new IgnoreRules(List.of());

  private final List<Rule> rules;
  private final String[] prefixes;

  private IgnoreRules(List<Rule> rules) {
    this.rules = rules;
    this.prefixes = rules.stream().map(Rule::prefix).toArray(String[]::new);
  }

  /** These rules followed by {@code lines} from a file (or the spec) in folder {@code base}. */
  IgnoreRules with(String base, List<String> lines, String source) {
    List<Rule> out = new ArrayList<>(rules);
    for (String raw : lines) {
      parse(base, raw, source).ifPresent(out::add);
    }
    return out.size() == rules.size() ? this : new IgnoreRules(List.copyOf(out));
  }

  boolean isEmpty() {
    return rules.isEmpty();
  }

  /**
   * Whether {@code path} (relative to the workdir, '/'-separated; {@code name} its last segment,
   * which the walk has at hand) is excluded. Called once per file: it cuts no substrings for
   * basename rules and compares patterns without glob characters as strings.
   */
  boolean ignored(String path, String name, boolean isDir) {
    return deciding(path, name, isDir) != null;
  }

  /**
   * The rule that leaves {@code path} out, as {@code <source>: <pattern>} ({@code .gitignore:
   * data/}, {@code exclude: *.ckpt}); null when none does.
   */
  String reason(String path, String name, boolean isDir) {
    Rule r = deciding(path, name, isDir);
    return r == null ? null : r.source();
  }

  /** The last rule that matches, when it excludes; null when none matches or it re-includes. */
  private Rule deciding(String path, String name, boolean isDir) {
    Rule last = null;
    for (int i = 0; i < rules.size(); i++) {
      Rule r = rules.get(i);
      if (r.dirOnly && !isDir) {
        continue;
      }
      String prefix = prefixes[i];
      if (!prefix.isEmpty() && !path.startsWith(prefix)) {
        continue;
      }
      String sub = r.basename ? name : prefix.isEmpty() ? path : path.substring(prefix.length());
      if (r.literal != null ? r.literal.equals(sub) : r.pattern.matcher(sub).matches()) {
        last = r;
      }
    }
    return last == null || last.negated ? null : last;
  }

  static java.util.Optional<Rule> parse(String base, String raw, String source) {
    String line = stripTrailingSpaces(raw);
    if (line.isEmpty() || line.startsWith("#")) {
      return java.util.Optional.empty();
    }
    boolean negated = false;
    if (line.startsWith("!")) {
      negated = true;
      line = line.substring(1);
    } else if (line.startsWith("\\!") || line.startsWith("\\#")) {
      line = line.substring(1);
    }
    boolean dirOnly = line.endsWith("/");
    if (dirOnly) {
      line = line.substring(0, line.length() - 1);
    }
    boolean anchored = line.contains("/");
    if (line.startsWith("/")) {
      line = line.substring(1);
    }
    if (line.isEmpty()) {
      return java.util.Optional.empty();
    }
    String regex = Globs.toRegex(line);
    boolean basename = !anchored && !line.contains("**");
    if (!anchored && !basename) {
      regex = "(?:.*/)?" + regex;
    }
    String literal = Globs.isLiteral(line) ? line : null;
    return java.util.Optional.of(
        new Rule(
            base,
            Pattern.compile(regex),
            literal,
            negated,
            dirOnly,
            basename,
            source + ": " + raw.trim()));
  }

  private static String stripTrailingSpaces(String s) {
    int end = s.length();
    while (end > 0
        && (s.charAt(end - 1) == ' ' || s.charAt(end - 1) == '\r')
        && !(end > 1 && s.charAt(end - 2) == '\\')) {
      end--;
    }
    return s.substring(0, end);
  }
}
