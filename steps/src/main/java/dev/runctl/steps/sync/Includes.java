package dev.runctl.steps.sync;

import dev.runctl.steps.support.Globs;
import java.util.ArrayList;
import java.util.List;

/**
 * The sync step's {@code include:} globs, gitignore-style as {@code exclude} is: a path they match
 * is synced even when an exclude, {@code .gitignore} or {@code .runctlignore} leaves it out, and a
 * folder they match is synced whole. {@code /data/} or {@code data/big/**} name folders from the
 * workdir; a glob without a slash ({@code *.ckpt}) matches in any folder, so sync looks through
 * every left-out folder for it.
 */
final class Includes {
  static final Includes NONE = new Includes(IgnoreRules.NONE, List.of());

  /** The globs as rules: a path a rule "ignores" is one the globs include. */
  private final IgnoreRules rules;

  /**
   * Each glob's folder part before its first glob character; "" for a glob that can match anywhere.
   */
  private final List<String> roots;

  private Includes(IgnoreRules rules, List<String> roots) {
    this.rules = rules;
    this.roots = roots;
  }

  static Includes of(List<String> globs) {
    List<String> roots = new ArrayList<>();
    for (String g : globs) {
      roots.add(root(g));
    }
    return new Includes(IgnoreRules.NONE.with("", globs, "include"), List.copyOf(roots));
  }

  boolean isEmpty() {
    return roots.isEmpty();
  }

  boolean matches(String path, String name, boolean isDir) {
    return !roots.isEmpty() && rules.ignored(path, name, isDir);
  }

  /**
   * Whether a glob may match something under the folder {@code dir} (relative, no slash at the
   * end).
   */
  boolean mayMatchUnder(String dir) {
    for (String r : roots) {
      if (r.isEmpty() || r.equals(dir) || r.startsWith(dir + "/") || dir.startsWith(r + "/")) {
        return true;
      }
    }
    return false;
  }

  /**
   * The literal folders a glob starts with ("data/big" of {@code /data/big/*.pt}); "" when it has
   * no slash inside (it matches at any depth) or starts with a glob.
   */
  private static String root(String glob) {
    String g = glob.endsWith("/") ? glob.substring(0, glob.length() - 1) : glob;
    if (!g.contains("/")) {
      return "";
    }
    StringBuilder root = new StringBuilder();
    for (String p : (g.startsWith("/") ? g.substring(1) : g).split("/")) {
      if (!Globs.isLiteral(p)) {
        break;
      }
      root.append(root.length() == 0 ? "" : "/").append(p);
    }
    return root.toString();
  }
}
