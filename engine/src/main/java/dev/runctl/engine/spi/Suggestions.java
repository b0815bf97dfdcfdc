package dev.runctl.engine.spi;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/** "Did you mean ...?" by edit distance, for unknown keys, step ids and step types. */
public final class Suggestions {
  private Suggestions() {}

  /** The candidate closest to {@code word}, when one is close enough to be a plausible typo. */
  public static Optional<String> closest(String word, Collection<String> candidates) {
    String w = word.toLowerCase(Locale.ROOT);
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String c : candidates) {
      int d = distance(w, c.toLowerCase(Locale.ROOT));
      if (d < bestDistance) {
        best = c;
        bestDistance = d;
      }
    }
    if (best == null) {
      return Optional.empty();
    }
    int allowed = Math.max(1, Math.min(3, Math.max(word.length(), best.length()) / 3));
    boolean prefix = word.length() >= 3 && best.startsWith(word);
    return bestDistance <= allowed || prefix ? Optional.of(best) : Optional.empty();
  }

  /** "did you mean 'x'?" or empty. */
  public static Optional<String> didYouMean(String word, Collection<String> candidates) {
    return closest(word, candidates).map(c -> "did you mean '" + c + "'?");
  }

  /** Optimal string alignment distance: Levenshtein plus adjacent transpositions. */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1
            && j > 1
            && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
