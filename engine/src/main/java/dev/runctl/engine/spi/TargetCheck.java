package dev.runctl.engine.spi;

/**
 * One read-only check of a target against the real thing, for {@code runctl plan --check}: what was
 * checked, whether it holds, what was found, and (when it does not hold) how to fix it.
 */
public record TargetCheck(String name, boolean ok, String detail, String fix) {

  public static TargetCheck ok(String name, String detail) {
    return new TargetCheck(name, true, detail, "");
  }

  public static TargetCheck failed(String name, String detail, String fix) {
    return new TargetCheck(name, false, detail, fix);
  }
}
