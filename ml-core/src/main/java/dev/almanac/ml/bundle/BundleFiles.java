package dev.almanac.ml.bundle;

/** File names inside a bundle directory (see docs/model-bundle.md). */
public final class BundleFiles {
  public static final String MLMODEL = "MLmodel";
  public static final String MODEL_ONNX = "model.onnx";
  public static final String METADATA = "almanac.json";
  public static final String METRICS = "metrics.json";
  public static final String HOLDOUT = "holdout_predictions.csv";
  public static final String INPUT_DIGEST = "input_digest.json";
  public static final String SERIES_DIR = "series";
  public static final String REQUIREMENTS = "requirements.txt";
  public static final String PYTHON_ENV = "python_env.yaml";
  public static final String CONDA = "conda.yaml";

  /**
   * Sub-bundle of a forecast bundle: the models fitted before the holdout, scored as the champion.
   */
  public static final String VALIDATION_DIR = "validation";

  /**
   * Whether predicting from a bundle reads this file (a path of its manifest): not the
   * validation-window model, which only a later run's champion gate reads (for the covid example 15
   * of the 33 MB a server or batch prediction would download).
   */
  public static boolean readForPrediction(String path) {
    return !path.startsWith(VALIDATION_DIR + "/");
  }

  private BundleFiles() {}
}
