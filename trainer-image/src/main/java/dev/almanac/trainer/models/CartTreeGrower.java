package dev.almanac.trainer.models;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Grows one CART tree on a bootstrap sample, the way scikit-learn's DecisionTree does for a forest:
 * best split over a random subset of features (drawn until {@code maxFeatures} non-constant ones were
 * evaluated), MSE or Gini criterion weighted by bootstrap counts, grown until leaves are pure (or the
 * depth / min-samples limits hit). Per-feature index lists are presorted once and stably partitioned
 * at every split, so growing costs O(features · samples · depth).
 */
final class CartTreeGrower {
  private static final double IMPURITY_EPS = 2.220446049250313e-16;

  record Settings(int maxFeatures, int maxDepth, int minSamplesSplit, int minSamplesLeaf) {}

  private final float[][] cols; // [feature][row]
  private final double[] yReg; // regression target or null
  private final int[] yCls; // class labels or null
  private final int nClasses;
  private final Settings settings;

  private double[] weight; // bootstrap count per row
  private int[][] order; // [feature][position] -> row; node = contiguous range
  private int[] buffer;
  private boolean[] goesLeft;
  private int[] featurePool;
  private SplittableRandom random;

  private final List<Integer> feature = new ArrayList<>();
  private final List<Float> threshold = new ArrayList<>();
  private final List<Integer> left = new ArrayList<>();
  private final List<Integer> right = new ArrayList<>();
  private final List<double[]> leaf = new ArrayList<>();

  private CartTreeGrower(float[][] cols, double[] yReg, int[] yCls, int nClasses, Settings settings) {
    this.cols = cols;
    this.yReg = yReg;
    this.yCls = yCls;
    this.nClasses = nClasses;
    this.settings = settings;
  }

  static CartTreeGrower regression(float[][] cols, double[] y, Settings s) {
    return new CartTreeGrower(cols, y, null, 1, s);
  }

  static CartTreeGrower classification(float[][] cols, int[] y, int nClasses, Settings s) {
    return new CartTreeGrower(cols, null, y, nClasses, s);
  }

  /** Grows a tree on the rows with count &gt; 0; {@code presorted[f]} lists all rows by feature f. */
  CartTree grow(int[][] presorted, double[] counts, SplittableRandom rnd) {
    int nFeatures = cols.length;
    int nRows = counts.length;
    this.weight = counts;
    this.random = rnd;
    int m = 0;
    for (double c : counts) {
      if (c > 0) {
        m++;
      }
    }
    order = new int[nFeatures][m];
    for (int f = 0; f < nFeatures; f++) {
      int k = 0;
      for (int row : presorted[f]) {
        if (counts[row] > 0) {
          order[f][k++] = row;
        }
      }
    }
    buffer = new int[m];
    goesLeft = new boolean[nRows];
    featurePool = new int[nFeatures];
    for (int f = 0; f < nFeatures; f++) {
      featurePool[f] = f;
    }
    build(0, m, 0);
    int n = feature.size();
    int[] fa = new int[n];
    float[] ta = new float[n];
    int[] la = new int[n];
    int[] ra = new int[n];
    double[][] va = new double[n][];
    for (int i = 0; i < n; i++) {
      fa[i] = feature.get(i);
      ta[i] = threshold.get(i);
      la[i] = left.get(i);
      ra[i] = right.get(i);
      va[i] = leaf.get(i);
    }
    return new CartTree(fa, ta, la, ra, va);
  }

  private int newNode() {
    feature.add(0);
    threshold.add(0f);
    left.add(0);
    right.add(0);
    leaf.add(null);
    return feature.size() - 1;
  }

  private int build(int start, int end, int depth) {
    int node = newNode();
    int[] rows = order[0];
    double[] stats = nodeStats(rows, start, end);
    double w = stats[stats.length - 1];
    int n = end - start;
    boolean stop = n < settings.minSamplesSplit() || n < 2 * settings.minSamplesLeaf()
        || (settings.maxDepth() > 0 && depth >= settings.maxDepth())
        || impurity(stats, w) <= IMPURITY_EPS;
    Split best = stop ? null : bestSplit(start, end, stats, w);
    if (best == null) {
      leaf.set(node, leafValue(stats, w));
      return node;
    }
    // mark sides, then stably partition every feature's range
    float[] col = cols[best.feature];
    int nLeft = 0;
    for (int i = start; i < end; i++) {
      int row = rows[i];
      boolean l = col[row] <= best.threshold;
      goesLeft[row] = l;
      if (l) {
        nLeft++;
      }
    }
    for (int[] ord : order) {
      int li = start;
      int ri = 0;
      for (int i = start; i < end; i++) {
        int row = ord[i];
        if (goesLeft[row]) {
          ord[li++] = row;
        } else {
          buffer[ri++] = row;
        }
      }
      System.arraycopy(buffer, 0, ord, li, ri);
    }
    feature.set(node, best.feature);
    threshold.set(node, best.threshold);
    int mid = start + nLeft;
    int l = build(start, mid, depth + 1);
    int r = build(mid, end, depth + 1);
    left.set(node, l);
    right.set(node, r);
    return node;
  }

  private record Split(int feature, float threshold) {}

  /** Regression: [sum, sumSq, weight]; classification: [count per class..., weight]. */
  private double[] nodeStats(int[] rows, int start, int end) {
    if (yReg != null) {
      double s = 0;
      double sq = 0;
      double w = 0;
      for (int i = start; i < end; i++) {
        int r = rows[i];
        double c = weight[r];
        s += c * yReg[r];
        sq += c * yReg[r] * yReg[r];
        w += c;
      }
      return new double[] {s, sq, w};
    }
    double[] st = new double[nClasses + 1];
    for (int i = start; i < end; i++) {
      int r = rows[i];
      st[yCls[r]] += weight[r];
      st[nClasses] += weight[r];
    }
    return st;
  }

  private double impurity(double[] stats, double w) {
    if (yReg != null) {
      double mean = stats[0] / w;
      return stats[1] / w - mean * mean;
    }
    double g = 1;
    for (int c = 0; c < nClasses; c++) {
      double p = stats[c] / w;
      g -= p * p;
    }
    return g;
  }

  private double[] leafValue(double[] stats, double w) {
    if (yReg != null) {
      return new double[] {stats[0] / w};
    }
    double[] p = new double[nClasses];
    for (int c = 0; c < nClasses; c++) {
      p[c] = stats[c] / w;
    }
    return p;
  }

  private Split bestSplit(int start, int end, double[] stats, double w) {
    int nFeatures = cols.length;
    int minLeaf = settings.minSamplesLeaf();
    double bestProxy = Double.NEGATIVE_INFINITY;
    int bestFeature = -1;
    float bestThreshold = 0f;
    int evaluated = 0;
    double[] leftCounts = yReg == null ? new double[nClasses] : null;
    // partial Fisher-Yates over the feature pool: features are drawn without replacement
    for (int drawn = 0; drawn < nFeatures && evaluated < settings.maxFeatures(); drawn++) {
      int pick = drawn + random.nextInt(nFeatures - drawn);
      int f = featurePool[pick];
      featurePool[pick] = featurePool[drawn];
      featurePool[drawn] = f;
      int[] ord = order[f];
      float[] col = cols[f];
      if (col[ord[start]] >= col[ord[end - 1]]) {
        continue; // constant in this node: does not count towards maxFeatures
      }
      evaluated++;
      if (yReg != null) {
        double sumL = 0;
        double wL = 0;
        double sumAll = stats[0];
        for (int i = start; i < end - 1; i++) {
          int r = ord[i];
          double c = weight[r];
          sumL += c * yReg[r];
          wL += c;
          float v = col[r];
          float next = col[ord[i + 1]];
          if (next <= v || i + 1 - start < minLeaf || end - i - 1 < minLeaf) {
            continue;
          }
          double wR = w - wL;
          double sumR = sumAll - sumL;
          double proxy = sumL * sumL / wL + sumR * sumR / wR;
          if (proxy > bestProxy) {
            bestProxy = proxy;
            bestFeature = f;
            bestThreshold = threshold(v, next);
          }
        }
      } else {
        java.util.Arrays.fill(leftCounts, 0.0);
        double wL = 0;
        double sqL = 0; // Σ leftCounts², kept incrementally
        double sqAll = 0;
        for (int c = 0; c < nClasses; c++) {
          sqAll += stats[c] * stats[c];
        }
        double[] rightCounts = stats.clone();
        double sqR = sqAll;
        for (int i = start; i < end - 1; i++) {
          int r = ord[i];
          double c = weight[r];
          int cl = yCls[r];
          sqL += 2 * c * leftCounts[cl] + c * c;
          sqR += -2 * c * rightCounts[cl] + c * c;
          leftCounts[cl] += c;
          rightCounts[cl] -= c;
          wL += c;
          float v = col[r];
          float next = col[ord[i + 1]];
          if (next <= v || i + 1 - start < minLeaf || end - i - 1 < minLeaf) {
            continue;
          }
          double proxy = sqL / wL + sqR / (w - wL);
          if (proxy > bestProxy) {
            bestProxy = proxy;
            bestFeature = f;
            bestThreshold = threshold(v, next);
          }
        }
      }
    }
    return bestFeature < 0 ? null : new Split(bestFeature, bestThreshold);
  }

  /** Largest float not above the midpoint of two distinct float values: lo ≤ t &lt; hi. */
  static float threshold(float lo, float hi) {
    double mid = lo / 2.0 + hi / 2.0;
    float t = (float) mid;
    if (t > mid) {
      t = Math.nextDown(t);
    }
    if (t >= hi || t < lo) {
      t = lo;
    }
    return t;
  }
}
