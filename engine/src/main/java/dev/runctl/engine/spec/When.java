package dev.runctl.engine.spec;

/** A step's run condition, as {@code when:} spells it. */
public enum When {
  ON_SUCCESS("on_success"),
  ALWAYS("always"),
  ON_FAILURE("on_failure");

  private final String yaml;

  When(String yaml) {
    this.yaml = yaml;
  }

  public String yaml() {
    return yaml;
  }
}
