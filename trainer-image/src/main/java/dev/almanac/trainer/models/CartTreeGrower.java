package dev.almanac.trainer.models;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Grows one CART tree on a bootstrap sample, the way scikit-learn's DecisionTree does for a forest:
 * best split over a random subset of features (drawn until {@code maxFeatures} non-constant ones
 * were evaluated), MSE or Gini criterion weighted by bootstrap counts, grown until leaves are pure
 * (or the depth / min-samples limits hit). Per-feature index lists are presorted once and stably
 * partitioned at every split, so growing costs O(features · samples · depth). Nodes are grown depth
 * first from an explicit stack (left subtree before right, nodes numbered in that pre-order), so a
 * tree as deep as its sample needs no deep thread stack.
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

  private final Nodes nodes = new Nodes();

  private CartTreeGrower(
      float[][] cols, double[] yReg, int[] yCls, int nClasses, Settings settings) {
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

  /**
   * Grows a tree on the rows with count &gt; 0; {@code presorted[f]} lists all rows by feature f.
   */
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
    growFrom(m);
    return nodes.toTree();
  }

  /** Grows every node of the tree over rows [0, m) of the presorted orders. */
  private void growFrom(int m) {
    PendingNodes pending = new PendingNodes();
    pending.push(0, m, 0, -1, false);
    while (!pending.isEmpty()) {
      int top = pending.pop();
      int start = pending.start(top);
      int end = pending.end(top);
      int depth = pending.depth(top);
      int node = nodes.add();
      nodes.link(pending.parent(top), pending.isLeft(top), node);
      int mid = split(node, start, end, depth);
      if (mid >= 0) {
        pending.push(mid, end, depth + 1, node, false); // popped after the whole left subtree
        pending.push(start, mid, depth + 1, node, true);
      }
    }
  }

  /**
   * Makes {@code node} a leaf, or an inner node whose rows are partitioned in every feature's
   * order: returns the first position of the right child's rows, or -1 for a leaf.
   */
  private int split(int node, int start, int end, int depth) {
    int[] rows = order[0];
    double[] stats = nodeStats(rows, start, end);
    double w = stats[stats.length - 1];
    int n = end - start;
    boolean stop =
        n < settings.minSamplesSplit()
            || n < 2 * settings.minSamplesLeaf()
            || (settings.maxDepth() > 0 && depth >= settings.maxDepth())
            || impurity(stats, w) <= IMPURITY_EPS;
    Split best = stop ? null : bestSplit(start, end, stats, w);
    if (best == null) {
      nodes.leaf[node] = leafValue(stats, w);
      return -1;
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
    nodes.feature[node] = best.feature;
    nodes.threshold[node] = best.threshold;
    return start + nLeft;
  }

  /** The tree so far in growable flat arrays, the layout of {@link CartTree}. */
  private static final class Nodes {
    private int count;
    private int[] feature = new int[64];
    private float[] threshold = new float[64];
    private int[] left = new int[64];
    private int[] right = new int[64];
    private double[][] leaf = new double[64][];

    int add() {
      if (count == feature.length) {
        int capacity = 2 * count;
        feature = Arrays.copyOf(feature, capacity);
        threshold = Arrays.copyOf(threshold, capacity);
        left = Arrays.copyOf(left, capacity);
        right = Arrays.copyOf(right, capacity);
        leaf = Arrays.copyOf(leaf, capacity);
      }
      return count++;
    }

    void link(int parent, boolean isLeft, int child) {
      if (parent >= 0) {
        (isLeft ? left : right)[parent] = child;
      }
    }

    CartTree toTree() {
      return new CartTree(
          Arrays.copyOf(feature, count),
          Arrays.copyOf(threshold, count),
          Arrays.copyOf(left, count),
          Arrays.copyOf(right, count),
          Arrays.copyOf(leaf, count));
    }
  }

  /**
   * Stack of nodes still to grow: row range, depth and the parent slot to link, five ints per
   * entry.
   */
  private static final class PendingNodes {
    private static final int WIDTH = 5;
    private int[] entries = new int[WIDTH * 32];
    private int size;

    void push(int start, int end, int depth, int parent, boolean isLeft) {
      if ((size + 1) * WIDTH > entries.length) {
        entries = Arrays.copyOf(entries, 2 * entries.length);
      }
      int at = size++ * WIDTH;
      entries[at] = start;
      entries[at + 1] = end;
      entries[at + 2] = depth;
      entries[at + 3] = parent;
      entries[at + 4] = isLeft ? 1 : 0;
    }

    boolean isEmpty() {
      return size == 0;
    }

    /** Removes the top entry; its fields stay readable until the next push. */
    int pop() {
      return --size * WIDTH;
    }

    int start(int at) {
      return entries[at];
    }

    int end(int at) {
      return entries[at + 1];
    }

    int depth(int at) {
      return entries[at + 2];
    }

    int parent(int at) {
      return entries[at + 3];
    }

    boolean isLeft(int at) {
      return entries[at + 4] == 1;
    }
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
        Arrays.fill(leftCounts, 0.0);
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
