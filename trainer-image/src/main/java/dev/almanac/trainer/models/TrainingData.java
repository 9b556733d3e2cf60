package dev.almanac.trainer.models;

/** Shape checks and float32 conversions shared by the trainers. */
final class TrainingData {
  private TrainingData() {}

  static int checkShape(double[][] x, int yLength) {
    if (x.length == 0) {
      throw new IllegalArgumentException("training data has no rows");
    }
    if (x.length != yLength) {
      throw new IllegalArgumentException(
          "training data has " + x.length + " rows but " + yLength + " targets");
    }
    int f = x[0].length;
    if (f == 0) {
      throw new IllegalArgumentException("training data has no feature columns");
    }
    for (int i = 1; i < x.length; i++) {
      if (x[i].length != f) {
        throw new IllegalArgumentException(
            "training row " + i + " has " + x[i].length + " features, row 0 has " + f);
      }
    }
    return f;
  }

  static void checkFinite(double[][] x, String model) {
    for (int i = 0; i < x.length; i++) {
      for (int j = 0; j < x[i].length; j++) {
        if (!Double.isFinite(x[i][j])) {
          throw new IllegalArgumentException(
              model
                  + " cannot train on a non-finite value: row "
                  + i
                  + ", feature "
                  + j
                  + " = "
                  + x[i][j]);
        }
      }
    }
  }

  static void checkFiniteTargets(double[] y, String model) {
    for (int i = 0; i < y.length; i++) {
      if (!Double.isFinite(y[i])) {
        throw new IllegalArgumentException(
            model + " cannot train on a non-finite target: row " + i + " = " + y[i]);
      }
    }
  }

  static void checkLabels(int[] y, int nClasses) {
    if (nClasses < 2) {
      throw new IllegalArgumentException(
          "classification needs at least 2 classes, got " + nClasses);
    }
    for (int i = 0; i < y.length; i++) {
      if (y[i] < 0 || y[i] >= nClasses) {
        throw new IllegalArgumentException(
            "label of row " + i + " is " + y[i] + ", expected 0.." + (nClasses - 1));
      }
    }
  }

  /** Row-major float32 copy, the layout both native libraries take. */
  static float[] rowMajor(double[][] x) {
    int f = x[0].length;
    float[] out = new float[x.length * f];
    for (int i = 0; i < x.length; i++) {
      for (int j = 0; j < f; j++) {
        out[i * f + j] = (float) x[i][j];
      }
    }
    return out;
  }

  static float[] toFloat(double[] v) {
    float[] out = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = (float) v[i];
    }
    return out;
  }

  static void checkRow(double[] row, int nFeatures) {
    if (row.length != nFeatures) {
      throw new IllegalArgumentException(
          "row has " + row.length + " features, the model was trained on " + nFeatures);
    }
  }

  static void checkRows(double[][] rows, int nFeatures) {
    for (double[] r : rows) {
      checkRow(r, nFeatures);
    }
  }

  /**
   * An ONNX export asked for the shape the model was fitted on.
   *
   * @param model how the message names the model ("XGBoost model")
   */
  static void checkExportShape(String model, int nFeatures, int askedFeatures) {
    if (askedFeatures != nFeatures) {
      throw new IllegalArgumentException(
          model + " has " + nFeatures + " features, export asked for " + askedFeatures);
    }
  }

  /** A classifier's ONNX export asked for the features and classes it was fitted on. */
  static void checkExportShape(
      String model, int nFeatures, int nClasses, int askedFeatures, int askedClasses) {
    if (askedFeatures != nFeatures || askedClasses != nClasses) {
      throw new IllegalArgumentException(
          model
              + " is "
              + nFeatures
              + " features x "
              + nClasses
              + " classes, export asked for "
              + askedFeatures
              + " x "
              + askedClasses);
    }
  }
}
