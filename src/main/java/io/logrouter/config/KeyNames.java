package io.logrouter.config;

import java.util.Collection;

/** Finds the known name a mistyped one was probably meant to be (Levenshtein distance). */
final class KeyNames {
  private KeyNames() {}

  /** The entry of {@code known} closest to {@code typed}; ties go to the alphabetically first. */
  static String nearest(String typed, Collection<String> known) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : known) {
      int d = distance(typed, candidate);
      if (d < bestDistance || d == bestDistance && candidate.compareTo(best) < 0) {
        best = candidate;
        bestDistance = d;
      }
    }
    return best;
  }

  /** Edits (insert, delete, substitute one character) that turn {@code a} into {@code b}. */
  static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitute, Math.min(previous[j] + 1, current[j - 1] + 1));
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
