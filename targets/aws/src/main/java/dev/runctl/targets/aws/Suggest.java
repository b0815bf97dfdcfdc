package dev.runctl.targets.aws;

import java.util.List;
import java.util.Optional;

/** "did you mean" for misspelt names: the closest candidate within a small edit distance. */
final class Suggest {
  private Suggest() {}

  static Optional<String> closest(String word, List<String> candidates) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String c : candidates) {
      int dist = distance(word, c);
      if (dist < bestDistance) {
        best = c;
        bestDistance = dist;
      }
    }
    return bestDistance <= Math.max(2, word.length() / 3)
        ? Optional.ofNullable(best)
        : Optional.empty();
  }

  static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
