package dev.runctl.cli;

import dev.runctl.cli.sweep.SweepMark;
import dev.runctl.cli.sweep.SweepRecord;
import dev.runctl.engine.ErrorCategory;
import dev.runctl.engine.RunctlException;
import dev.runctl.engine.plan.LoadResult;
import dev.runctl.engine.plan.Plan;
import dev.runctl.engine.plan.SweepBudget;
import dev.runctl.engine.spec.SpecOverride;
import dev.runctl.engine.spec.SpecResult;
import dev.runctl.engine.state.RunFolder;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A sweep child's spec and plan: the sweep's, with the child's combination and share of the budget.
 */
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

  /** The plan of child {@code c}: the spec frozen at apply, with its combination. */
  static Plan plan(
      RunctlCommand root,
      SweepRecord record,
      String source,
      List<SpecOverride> overrides,
      SweepRecord.Child c) {
    Path file = Path.of(record.specFile());
    LoadResult loaded =
        root.components()
            .planner()
            .plan(
                SweepChildren.bind(
                    root.components().specLoader().load(file, source, overrides),
                    c.combination(),
                    record.children().size()));
    if (loaded instanceof LoadResult.Loaded ok) {
      return ok.plan();
    }
    root.output().diagnostics(loaded.diagnostics());
    throw new RunctlException(
        ErrorCategory.USAGE,
        "combination "
            + SweepChildren.label(c.index(), c.combination())
            + " of sweep "
            + record.sweepId()
            + " does not plan; nothing of it was run",
        "fix the problems above; `runctl plan " + file + "` checks the spec");
  }
}
