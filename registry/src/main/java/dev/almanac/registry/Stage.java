package dev.almanac.registry;

import java.util.Locale;

/** MLflow model version stages (deprecated by MLflow in favour of aliases, still supported). */
public enum Stage {
  NONE("None"),
  STAGING("Staging"),
  PRODUCTION("Production"),
  ARCHIVED("Archived");

  private final String mlflowName;

  Stage(String mlflowName) {
    this.mlflowName = mlflowName;
  }

  /** The spelling MLflow uses on the wire. */
  public String mlflowName() {
    return mlflowName;
  }

  /**
   * Parses a stage name case-insensitively ({@code production}, {@code Production}, {@code
   * PRODUCTION}).
   */
  public static Stage parse(String name) {
    for (var stage : values()) {
      if (stage.mlflowName.equalsIgnoreCase(name)) {
        return stage;
      }
    }
    throw new IllegalArgumentException(
        "unknown model stage '"
            + name
            + "'; expected one of None, Staging, "
            + "Production, Archived");
  }

  static Stage fromMlflow(String name) {
    return name == null || name.isEmpty() ? NONE : parse(name.toLowerCase(Locale.ROOT));
  }

  @Override
  public String toString() {
    return mlflowName;
  }
}
