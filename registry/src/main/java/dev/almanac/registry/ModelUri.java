package dev.almanac.registry;

import java.util.Objects;

/**
 * An MLflow model URI: {@code models:/name/7}, {@code models:/name@alias}, {@code
 * models:/name/Production} or {@code models:/name/latest}. {@link #toString()} renders the
 * canonical form.
 */
public sealed interface ModelUri {
  String PREFIX = "models:/";

  String name();

  /** Parses a model URI; the message of the exception names what is wrong. */
  static ModelUri parse(String uri) {
    Objects.requireNonNull(uri, "uri");
    if (!uri.startsWith(PREFIX)) {
      throw new IllegalArgumentException("model URI '" + uri + "' must start with " + PREFIX);
    }
    var rest = uri.substring(PREFIX.length());
    if (rest.startsWith("/")) {
      throw new IllegalArgumentException(
          "model URI '"
              + uri
              + "' has an authority (models://...); use "
              + PREFIX
              + "<name>/<version|stage> or "
              + PREFIX
              + "<name>@<alias>");
    }
    int at = rest.indexOf('@');
    if (at >= 0) {
      var name = rest.substring(0, at);
      var alias = rest.substring(at + 1);
      if (name.isEmpty()
          || alias.isEmpty()
          || name.contains("/")
          || alias.contains("/")
          || alias.contains("@")) {
        throw new IllegalArgumentException(
            "model URI '" + uri + "' must look like " + PREFIX + "<name>@<alias>");
      }
      return new Alias(name, alias);
    }
    var parts = rest.split("/", -1);
    if (parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
      throw new IllegalArgumentException(
          "model URI '"
              + uri
              + "' must look like "
              + PREFIX
              + "<name>/<version|stage|latest> or "
              + PREFIX
              + "<name>@<alias>");
    }
    var name = parts[0];
    var suffix = parts[1];
    if (suffix.chars().allMatch(Character::isDigit)) {
      return new Version(name, Long.parseLong(suffix));
    }
    if (suffix.equalsIgnoreCase("latest")) {
      return new Latest(name);
    }
    try {
      return new StageRef(name, Stage.parse(suffix));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "model URI '"
              + uri
              + "': '"
              + suffix
              + "' is neither a version number, 'latest', nor a stage (None, Staging, Production, Archived)",
          e);
    }
  }

  /** {@code models:/name/7}. */
  record Version(String name, long version) implements ModelUri {
    public Version {
      requireName(name);
      if (version < 1) {
        throw new IllegalArgumentException("model version must be >= 1, got " + version);
      }
    }

    @Override
    public String toString() {
      return PREFIX + name + "/" + version;
    }
  }

  /** {@code models:/name@alias}. */
  record Alias(String name, String alias) implements ModelUri {
    public Alias {
      requireName(name);
      if (alias == null || alias.isEmpty()) {
        throw new IllegalArgumentException("alias is empty");
      }
    }

    @Override
    public String toString() {
      return PREFIX + name + "@" + alias;
    }
  }

  /** {@code models:/name/Production}: the newest version in that stage. */
  record StageRef(String name, Stage stage) implements ModelUri {
    public StageRef {
      requireName(name);
      Objects.requireNonNull(stage, "stage");
    }

    @Override
    public String toString() {
      return PREFIX + name + "/" + stage.mlflowName();
    }
  }

  /** {@code models:/name/latest}: the highest version number, any stage. */
  record Latest(String name) implements ModelUri {
    public Latest {
      requireName(name);
    }

    @Override
    public String toString() {
      return PREFIX + name + "/latest";
    }
  }

  private static void requireName(String name) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("registered model name is empty");
    }
  }
}
