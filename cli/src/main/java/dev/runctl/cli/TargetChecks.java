package dev.runctl.cli;

import dev.runctl.engine.RunctlException;
import dev.runctl.engine.plan.Plan;
import dev.runctl.engine.spi.TargetCheck;
import java.util.List;

/** {@code runctl plan --check}: the target's read-only checks, printed one by one. */
final class TargetChecks {
  private TargetChecks() {}

  static int run(Plan plan, Output out) throws InterruptedException {
    String provider = plan.targetProvider().name();
    List<TargetCheck> checks;
    try {
      checks = plan.targetProvider().check(plan.targetConfig(), plan.job().name());
    } catch (RunctlException e) {
      checks =
          List.of(TargetCheck.failed("target", e.getMessage(), e.hint().orElse("see the message")));
    }
    if (checks.isEmpty()) {
      out.emit(
          new CheckEvent(provider, "checks", true, "the " + provider + " target has none", ""));
      return ExitCodes.OK;
    }
    int failed = 0;
    for (TargetCheck c : checks) {
      out.emit(new CheckEvent(provider, c.name(), c.ok(), c.detail(), c.fix()));
      failed += c.ok() ? 0 : 1;
    }
    if (failed > 0 && !out.json()) {
      out.note(failed + " of " + checks.size() + " checks failed on the " + provider + " target");
    }
    return failed == 0 ? ExitCodes.OK : ExitCodes.FAILED;
  }

  record CheckEvent(String target, String name, boolean ok, String detail, String fix)
      implements CliEvent {
    @Override
    public String type() {
      return "check";
    }

    @Override
    public String text() {
      String head = PlanEvents.row("check", (ok ? "ok      " : "FAILED  ") + name + ": " + detail);
      return (ok || fix.isEmpty() ? head : head + PlanEvents.row("", "  fix: " + fix))
          .stripTrailing();
    }
  }
}
