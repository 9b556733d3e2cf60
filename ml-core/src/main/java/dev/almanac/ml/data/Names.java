package dev.almanac.ml.data;

/** Name normalisation rules shared by the loaders, the trainer and the model server. */
public final class Names {
  private Names() {}

  /**
   * A class label for display: trimmed, inner runs of whitespace collapsed ("Diabetes " →
   * "Diabetes").
   */
  public static String label(String raw) {
    return raw.strip().replaceAll("\\s+", " ");
  }

  /**
   * Join key of a symptom or disease name: whitespace and underscores removed, lower case, because
   * the files disagree on inner spaces ({@code spotting_ urination} vs {@code spotting_urination})
   * and users type {@code fluid overload} for {@code fluid_overload}.
   */
  public static String key(String raw) {
    StringBuilder b = new StringBuilder(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      // the model server calls this per symptom per request: no regex (it was 16% of /v1/predict's
      // CPU)
      if (c != '_' && !Character.isWhitespace(c)) {
        b.append(Character.toLowerCase(c));
      }
    }
    return b.toString();
  }

  /** Levenshtein distance, for the few disease names that are spelled differently across files. */
  public static int editDistance(String a, String b) {
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
