package dev.runctl.cli;

import dev.runctl.cli.secrets.SecretValues;
import dev.runctl.engine.RunctlException;
import dev.runctl.engine.plan.Plan;
import dev.runctl.engine.registry.Registry;
import dev.runctl.engine.spi.SecretRef;
import dev.runctl.engine.spi.TargetCheck;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code runctl plan --check}: the target's read-only checks, then one per secret of the spec (by
 * its source where runctl reads it, by the target where the target fetches it on its machine),
 * printed one by one; no value is ever printed.
 */
final class TargetChecks {
  private TargetChecks() {}

  static int run(Plan plan, Registry registry, Output out) throws InterruptedException {
    String provider = plan.targetProvider().name();
    List<TargetCheck> checks = new ArrayList<>();
    try {
      checks.addAll(plan.targetProvider().check(plan.targetConfig(), plan.job().name()));
    } catch (RunctlException e) {
      checks.add(TargetCheck.failed("target", e.getMessage(), e.hint().orElse("see the message")));
    }
    checks.addAll(secrets(plan, registry));
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

  private static List<TargetCheck> secrets(Plan plan, Registry registry)
      throws InterruptedException {
    List<TargetCheck> checks = new ArrayList<>();
    List<SecretRef> fetched = new ArrayList<>();
    for (SecretRef ref : plan.job().secrets()) {
      if (plan.targetProvider().fetchesOnMachine(ref)) {
        fetched.add(ref);
      } else {
        checks.add(SecretValues.source(registry, ref).check(ref));
      }
    }
    if (!fetched.isEmpty()) {
      try {
        checks.addAll(plan.targetProvider().checkSecrets(plan.targetConfig(), fetched));
      } catch (RunctlException e) {
        checks.add(
            TargetCheck.failed("secrets", e.getMessage(), e.hint().orElse("see the message")));
      }
    }
    return checks;
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
