package dev.runctl.engine.spi;

/** A place in a spec file: 1-based line and column. */
public record Position(String file, int line, int column) {
  public static final Position UNKNOWN = new Position("<unknown>", 0, 0);

  @Override
  public String toString() {
    return file + ":" + line + ":" + column;
  }
}
