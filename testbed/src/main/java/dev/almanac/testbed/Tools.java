package dev.almanac.testbed;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the test bed's external tools live. Defaults match {@code scripts/test-tools.sh}; each can
 * be moved with an environment variable. A missing tool fails with the command that installs it.
 */
public final class Tools {
  public static final String SETUP_COMMAND = "bash scripts/test-tools.sh";
  public static final String KUBE_VERSION = env("ALMANAC_KUBE_VERSION").orElse("1.34.2");

  private Tools() {}

  public static Path home() {
    return Path.of(System.getProperty("user.home"));
  }

  public static Path cacheDir() {
    return env("ALMANAC_CACHE").map(Path::of).orElse(home().resolve(".cache/almanac"));
  }

  public static Path binDir() {
    return cacheDir().resolve("bin");
  }

  public static Path venv() {
    return env("ALMANAC_VENV").map(Path::of).orElse(cacheDir().resolve("venv"));
  }

  /** The second venv of the MLflow test matrix: MLflow 3.x ({@link MlflowVersion#V3}). */
  public static Path mlflow3Venv() {
    return env("ALMANAC_MLFLOW3_VENV").map(Path::of).orElse(cacheDir().resolve("venv-mlflow3"));
  }

  /** Directory holding kube-apiserver, etcd and kubectl for fabric8 kube-api-test. */
  public static Path kubeBinaries() {
    return home().resolve(".kubeapitest/k8s/" + KUBE_VERSION + "-linux-amd64");
  }

  public static Path helm() {
    return require(binDir().resolve("helm"), "helm");
  }

  public static Path kubectl() {
    return require(binDir().resolve("kubectl"), "kubectl");
  }

  public static Path promtool() {
    return require(binDir().resolve("promtool"), "promtool");
  }

  /** An executable of the test venv, e.g. {@code mlflow}, {@code moto_server}, {@code python}. */
  public static Path venvBin(String name) {
    return require(venv().resolve("bin").resolve(name), name + " (Python test venv)");
  }

  public static Path chromium() {
    return require(Path.of(env("ALMANAC_CHROMIUM").orElse("/usr/bin/chromium")), "chromium");
  }

  /** The repository root (surefire passes it; falls back to walking up from the working dir). */
  public static Path projectDir() {
    var prop = System.getProperty("almanac.project.dir");
    if (prop != null) {
      return Path.of(prop).toAbsolutePath().normalize();
    }
    var dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.exists(dir.resolve("scripts/test-tools.sh"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException(
          "cannot find the Almanac project root from " + Path.of("").toAbsolutePath());
    }
    return dir;
  }

  /**
   * A PostgreSQL server program ({@code initdb}, {@code postgres}, {@code pg_isready}): from {@code
   * $ALMANAC_PG_BIN}, else the newest {@code /usr/lib/postgresql/<major>/bin} of Debian's {@code
   * postgresql} package.
   */
  public static Path postgresBin(String name) {
    var dir =
        env("ALMANAC_PG_BIN")
            .map(Path::of)
            .orElseGet(
                () -> {
                  try (var versions = Files.list(Path.of("/usr/lib/postgresql"))) {
                    return versions
                        .filter(v -> v.getFileName().toString().matches("\\d+"))
                        .max(
                            java.util.Comparator.comparingInt(
                                v -> Integer.parseInt(v.getFileName().toString())))
                        .map(v -> v.resolve("bin"))
                        .orElse(Path.of("/usr/lib/postgresql/bin"));
                  } catch (java.io.IOException e) {
                    return Path.of("/usr/lib/postgresql/bin");
                  }
                });
    return require(dir.resolve(name), name + " (PostgreSQL server)");
  }

  /** The shared data sets ({@code ../shared/data} next to the project). */
  public static Path dataDir() {
    var prop = System.getProperty("almanac.data.dir");
    var dir = prop != null ? Path.of(prop) : projectDir().resolve("../shared/data");
    dir = dir.toAbsolutePath().normalize();
    if (!Files.isDirectory(dir)) {
      throw new IllegalStateException(
          "shared data not found at " + dir + " (set -Dalmanac.data.dir)");
    }
    return dir;
  }

  static Path require(Path path, String what) {
    if (!Files.isExecutable(path)) {
      throw new MissingToolException(
          what + " not found at " + path + "; install the test tools with: " + SETUP_COMMAND);
    }
    return path;
  }

  private static Optional<String> env(String name) {
    return Optional.ofNullable(System.getenv(name)).filter(s -> !s.isBlank());
  }

  /** A test-bed tool is not installed. */
  public static final class MissingToolException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public MissingToolException(String message) {
      super(message);
    }
  }
}
