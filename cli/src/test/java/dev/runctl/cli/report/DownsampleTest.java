package dev.runctl.cli.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class DownsampleTest {
  @Test
  void aLongSeriesKeepsItsExtremesItsEndsAndItsOrder() {
    double[] ys = new double[100_000];
    Arrays.setAll(ys, i -> Math.sin(i / 50.0));
    ys[12_345] = 40;
    ys[77_777] = -40;
    int[] idx = Downsample.indexes(ys, 300);
    assertThat(idx.length).isLessThanOrEqualTo(1200);
    assertThat(idx).contains(0, 12_345, 77_777, 99_999);
    assertThat(idx).isSorted().doesNotHaveDuplicates();
  }

  @Test
  void aShortSeriesIsDrawnWhole() {
    assertThat(Downsample.indexes(new double[] {3, 1, 2}, 300)).containsExactly(0, 1, 2);
  }
}
