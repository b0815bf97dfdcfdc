package dev.runctl.cli.report;

import java.util.Arrays;

/**
 * Fewer points for drawing a long series: the x range is cut into buckets and each keeps its first,
 * lowest, highest and last point, in order, so that every extreme (a loss spike, the best accuracy)
 * is drawn however many points the series has.
 */
final class Downsample {
  private Downsample() {}

  /** The indexes of the points to draw, ascending; all of them when there are few. */
  static int[] indexes(double[] ys, int buckets) {
    int n = ys.length;
    if (n <= buckets * 4) {
      int[] all = new int[n];
      Arrays.setAll(all, i -> i);
      return all;
    }
    int[] out = new int[buckets * 4];
    int k = 0;
    for (int b = 0; b < buckets; b++) {
      int from = (int) ((long) n * b / buckets);
      int to = (int) ((long) n * (b + 1) / buckets);
      int min = from;
      int max = from;
      for (int i = from; i < to; i++) {
        min = ys[i] < ys[min] ? i : min;
        max = ys[i] > ys[max] ? i : max;
      }
      int[] four = {from, Math.min(min, max), Math.max(min, max), to - 1};
      for (int i : four) {
        if (k == 0 || out[k - 1] < i) {
          out[k++] = i;
        }
      }
    }
    return Arrays.copyOf(out, k);
  }
}
