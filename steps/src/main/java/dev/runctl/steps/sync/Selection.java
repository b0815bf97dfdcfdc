package dev.runctl.steps.sync;

/**
 * What sync takes from the workdir, in one place for the walk that syncs and the look that reports
 * what is left out: a path is synced unless the excludes, {@code .gitignore} or {@code
 * .runctlignore} leave it out, and always when an {@code include:} glob matches it or a folder
 * above it.
 */
final class Selection {
  /** How a folder is walked. */
  enum Mode {
    /** The rules apply. */
    NORMAL,
    /** The folder is left out, but include globs may match under it: only those are taken. */
    ONLY_INCLUDED,
    /** An include glob matched the folder or one above it: everything under it. */
    ALL
  }

  private final Includes includes;

  Selection(Includes includes) {
    this.includes = includes;
  }

  /**
   * How to walk the folder {@code path} found in a folder walked in {@code parent}; null: skip it.
   */
  Mode folder(Mode parent, IgnoreRules here, String path, String name) {
    if (parent == Mode.ALL || includes.matches(path, name, true)) {
      return Mode.ALL;
    }
    if (parent == Mode.NORMAL && !here.ignored(path, name, true)) {
      return Mode.NORMAL;
    }
    return includes.mayMatchUnder(path) ? Mode.ONLY_INCLUDED : null;
  }

  /** Whether the file {@code path} found in a folder walked in {@code parent} is synced. */
  boolean file(Mode parent, IgnoreRules here, String path, String name) {
    return parent == Mode.ALL
        || includes.matches(path, name, false)
        || (parent == Mode.NORMAL && !here.ignored(path, name, false));
  }
}
