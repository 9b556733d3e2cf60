package dev.almanac.testbed;

import java.nio.file.Path;

/**
 * The MLflow releases the test matrix runs, each from its own venv ({@code scripts/test-tools.sh}
 * builds both). {@link #DEFAULT} is what a new user installs today; {@link #V2} stays for
 * registries that have not moved (stages, no logged models).
 */
public enum MlflowVersion {
  /** MLflow 2.22.x ({@code scripts/requirements-test.txt}, the main test venv). */
  V2("MLflow 2.22"),
  /** Current MLflow 3.x ({@code scripts/requirements-mlflow3.txt}, venv {@code venv-mlflow3}). */
  V3("MLflow 3");

  public static final MlflowVersion DEFAULT = V3;

  private final String label;

  MlflowVersion(String label) {
    this.label = label;
  }

  /** The venv whose {@code bin/mlflow} runs this version. */
  public Path venv() {
    return this == V2 ? Tools.venv() : Tools.mlflow3Venv();
  }

  /** The venv's {@code mlflow} executable; a missing one fails with the setup command. */
  public Path mlflowBin() {
    return Tools.require(venv().resolve("bin/mlflow"), "mlflow (" + label + " venv)");
  }

  /**
   * The venv's {@code python}, for interop tests that run MLflow's Python client of this version.
   */
  public Path python() {
    return Tools.require(venv().resolve("bin/python"), "python (" + label + " venv)");
  }

  @Override
  public String toString() {
    return label;
  }
}
