package dev.almanac.ml.features;

/**
 * Training rows of one series: row i predicts {@code y[i]}, the value on day {@code firstIndex +
 * i}.
 */
public record FeatureMatrix(double[][] x, double[] y, int firstIndex) {
  public int rows() {
    return y.length;
  }
}
