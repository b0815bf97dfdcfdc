package dev.runctl.steps.run;

import dev.runctl.engine.spi.StepConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The settings of a {@code run} step: the argv to run ({@code command} as given, or {@code ["sh",
 * "-c", shell]}), and the {@code creates} path whose existence means the work is done.
 */
public record RunConfig(List<String> argv, boolean shell, Optional<String> creates)
    implements StepConfig {

  public RunConfig {
    argv = List.copyOf(argv);
  }

  /**
   * A step with {@code creates:} leaves on the machine what later steps use: after the machine was
   * given back or replaced, it runs again before them (its {@code creates:} check skips it on a
   * machine that still has the path).
   */
  @Override
  public boolean machineState() {
    return creates.isPresent();
  }

  @Override
  public Map<String, String> describe() {
    Map<String, String> d = new LinkedHashMap<>();
    if (shell) {
      d.put("shell", argv.get(argv.size() - 1));
    } else {
      d.put("command", argv.toString());
    }
    creates.ifPresent(c -> d.put("creates", c));
    return d;
  }
}
