package dev.runctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runctl.engine.spi.Diagnostics;
import dev.runctl.engine.spi.Target;
import dev.runctl.engine.spi.TargetConfig;
import dev.runctl.engine.spi.TargetContext;
import dev.runctl.engine.spi.TargetProvider;
import dev.runctl.engine.spi.TargetSettings;
import dev.runctl.targets.local.LocalTargetProvider;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A sweep divides runctl's parallelism by what its target declares, whatever it is called. */
class SweepLimitsTest {
  @Test
  void childrenOnThisMachineShareItsCores() {
    assertThat(SweepLimits.of(new LocalTargetProvider(), 4, 2)).isEqualTo(new SweepLimits(2, 1));
    assertThat(SweepLimits.of(new LocalTargetProvider(), 2, 8)).isEqualTo(new SweepLimits(2, 4));
    assertThat(SweepLimits.of(named("box", true), 3, 6)).isEqualTo(new SweepLimits(3, 2));
  }

  @Test
  void childrenWithMachinesOfTheirOwnEachTakeTheWholeParallelism() {
    assertThat(SweepLimits.of(named("cluster", false), 4, 2)).isEqualTo(new SweepLimits(4, 2));
    assertThat(SweepLimits.of(named("local", false), 4, 2))
        .as("the name decides nothing")
        .isEqualTo(new SweepLimits(4, 2));
  }

  private static TargetProvider named(String name, boolean onThisMachine) {
    return new TargetProvider() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public boolean runsOnThisMachine() {
        return onThisMachine;
      }

      @Override
      public TargetConfig configure(TargetSettings spec, Diagnostics diagnostics) {
        return () -> Map.of("provider", name);
      }

      @Override
      public Target open(TargetConfig config, TargetContext context) {
        throw new UnsupportedOperationException("never opened here");
      }
    };
  }
}
