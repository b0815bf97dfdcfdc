package dev.runctl.cli;

import dev.runctl.engine.plan.BudgetCheck;
import dev.runctl.engine.plan.Plan;
import dev.runctl.engine.plan.PlannedStep;
import dev.runctl.engine.spec.DisplayPaths;
import dev.runctl.engine.spec.JobSpec;
import dev.runctl.engine.spec.RetrySpec;
import dev.runctl.engine.spec.StepSpec;
import dev.runctl.engine.spi.Durations;
import dev.runctl.engine.spi.ErrorClass;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What {@code runctl plan} prints, one record per line of JSON output and per block of text.
 * Environment values are never shown (they may be secrets): only their names.
 */
final class PlanEvents {
  private PlanEvents() {}

  static List<CliEvent> of(Plan plan) {
    List<CliEvent> events = new ArrayList<>();
    JobSpec job = plan.job();
    List<List<PlannedStep>> waves = plan.waves();
    events.add(
        new PlanHeader(
            job.name(),
            job.description(),
            job.file().toString(),
            DisplayPaths.of(job.workdir()),
            plan.steps().size(),
            waves.size(),
            List.copyOf(job.env().keySet())));
    events.add(target(plan));
    for (int w = 0; w < waves.size(); w++) {
      List<PlannedStep> wave = waves.get(w);
      for (int i = 0; i < wave.size(); i++) {
        events.add(step(wave.get(i), w + 1, wave.size(), i == 0));
      }
    }
    return events;
  }

  private static TargetEvent target(Plan plan) {
    JobSpec job = plan.job();
    return new TargetEvent(
        plan.targetProvider().name(),
        plan.targetConfig().describe(),
        plan.targetConfig().planPricePerHour().orElse(null),
        job.budget().maxDuration().map(Durations::format).orElse(null),
        BudgetCheck.maxDurationCost(job, plan.targetConfig()).orElse(null),
        job.budget().maxCost().orElse(null));
  }

  private static StepEvent step(PlannedStep p, int wave, int waveSize, boolean firstOfWave) {
    StepSpec s = p.spec();
    RetrySpec r = s.retry();
    return new StepEvent(
        s.id(),
        s.uses(),
        wave,
        waveSize,
        firstOfWave,
        s.needs(),
        s.when().yaml(),
        s.timeout().map(Durations::format).orElse(null),
        new Retry(
            r.maxAttempts(),
            Durations.format(r.initialInterval()),
            r.backoffCoefficient(),
            Durations.format(r.maxInterval()),
            r.on().stream().sorted().map(ErrorClass::yaml).toList()),
        List.copyOf(s.env().keySet()),
        p.config().describe(),
        p.config().requiredPaths());
  }

  record PlanHeader(
      String job,
      String description,
      String file,
      String workdir,
      int steps,
      int waves,
      List<String> env)
      implements CliEvent {
    @Override
    public String type() {
      return "plan";
    }

    @Override
    public String text() {
      StringBuilder t = new StringBuilder();
      t.append(row("job", job + (description.isBlank() ? "" : ": " + description)));
      t.append(row("spec", file));
      t.append(row("workdir", workdir));
      if (!env.isEmpty()) {
        t.append(row("env", String.join(", ", env)));
      }
      return t.toString().stripTrailing();
    }
  }

  record TargetEvent(
      String provider,
      Map<String, String> settings,
      BigDecimal pricePerHour,
      String maxDuration,
      BigDecimal maxDurationCost,
      BigDecimal maxCost)
      implements CliEvent {
    @Override
    public String type() {
      return "target";
    }

    @Override
    public String text() {
      StringBuilder t = new StringBuilder(row("target", provider));
      settings.forEach(
          (k, v) -> {
            if (!k.equals("provider")) {
              t.append(row("", k + ": " + v));
            }
          });
      if (pricePerHour != null) {
        String price = "$" + pricePerHour.toPlainString() + "/h";
        if (maxDurationCost != null) {
          price +=
              "; max_duration "
                  + maxDuration
                  + " costs at most $"
                  + maxDurationCost.toPlainString();
        }
        t.append(row("price", price));
      }
      List<String> budget = new ArrayList<>();
      if (maxDuration != null) {
        budget.add("max_duration " + maxDuration);
      }
      if (maxCost != null) {
        budget.add("max_cost $" + maxCost.toPlainString());
      }
      t.append(row("budget", budget.isEmpty() ? "none" : String.join(", ", budget)));
      return t.toString().stripTrailing();
    }
  }

  record Retry(
      int maxAttempts,
      String initialInterval,
      double backoffCoefficient,
      String maxInterval,
      List<String> on) {
    String text() {
      if (maxAttempts == 1) {
        return "1 attempt (no retry)";
      }
      return maxAttempts
          + " attempts; waits "
          + initialInterval
          + " x"
          + backoffCoefficient
          + " up to "
          + maxInterval
          + ", jittered; on "
          + String.join(", ", on);
    }
  }

  record StepEvent(
      String id,
      String uses,
      int wave,
      int parallel,
      @EventJson.TextOnly boolean firstOfWave,
      List<String> needs,
      String when,
      String timeout,
      Retry retry,
      List<String> env,
      Map<String, String> settings,
      List<String> requiredPaths)
      implements CliEvent {
    @Override
    public String type() {
      return "step";
    }

    @Override
    public String text() {
      StringBuilder t = new StringBuilder();
      if (firstOfWave) {
        t.append("\nwave ").append(wave);
        t.append(parallel > 1 ? " (" + parallel + " steps may run in parallel)" : "").append('\n');
      }
      t.append("  ").append(id).append("  (uses ").append(uses).append(")\n");
      int width = settings.keySet().stream().mapToInt(String::length).max().orElse(0);
      width = Math.max(width, "timeout".length()) + 2;
      t.append(field(width, "needs", needs.isEmpty() ? "-" : String.join(", ", needs)));
      t.append(field(width, "when", when));
      t.append(field(width, "timeout", timeout == null ? "none" : timeout + " per attempt"));
      t.append(field(width, "retry", retry.text()));
      if (!env.isEmpty()) {
        t.append(field(width, "env", String.join(", ", env)));
      }
      for (Map.Entry<String, String> e : settings.entrySet()) {
        t.append(field(width, e.getKey(), e.getValue()));
      }
      return t.toString().stripTrailing();
    }
  }

  record Summary(boolean valid, int errors, int warnings, String file) implements CliEvent {
    @Override
    public String type() {
      return "result";
    }

    @Override
    public String text() {
      if (!valid) {
        return "";
      }
      String w =
          warnings == 0 ? "" : " with " + warnings + (warnings == 1 ? " warning" : " warnings");
      return "\nplan ok"
          + w
          + "; nothing was created or written. Run it with: runctl apply "
          + file;
    }
  }

  static String row(String label, String value) {
    return pad(label, 9) + value + "\n";
  }

  /** {@code text} padded with spaces to {@code width} (no java.util.Formatter: start-up). */
  static String pad(String text, int width) {
    return text.length() >= width ? text : text + " ".repeat(width - text.length());
  }

  static String field(int width, String label, String value) {
    String indent = " ".repeat(4 + width);
    return "    "
        + pad(label, width)
        + value.lines().collect(Collectors.joining("\n" + indent))
        + "\n";
  }
}
