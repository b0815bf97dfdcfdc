package dev.runctl.cli;

import dev.runctl.cli.sweep.SweepMark;
import dev.runctl.engine.plan.SweepBudget;
import dev.runctl.engine.spec.SpecResult;
import dev.runctl.engine.state.RunFolder;
import java.util.Map;

/** A sweep child's spec: the sweep's, with the child's combination and share of the budget. */
final class SweepChildren {
  private SweepChildren() {}

  static SpecResult bind(SpecResult loaded, Map<String, String> combination, int children) {
    if (!(loaded instanceof SpecResult.Bound b)) {
      return loaded;
    }
    return new SpecResult.Bound(
        b.job().child(combination, SweepBudget.share(b.job().budget(), children)),
        b.locator(),
        b.skip(),
        b.diagnostics());
  }

  /** {@code loaded} as the run in {@code folder} reads it: a sweep's child gets its combination. */
  static SpecResult forRun(RunFolder folder, SpecResult loaded) {
    return SweepMark.read(folder.dir())
        .map(m -> bind(loaded, m.combination(), m.children()))
        .orElse(loaded);
  }

  /** {@code 2 lr=0.001 seed=1}: how output lines name a child. */
  static String label(int index, Map<String, String> combination) {
    return index + " " + dev.runctl.engine.spec.MatrixSpec.describe(combination);
  }
}
