package dev.almanac.api.v1alpha1.compat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Finds the changes between a released CRD and the one this build generates that would break
 * objects already stored in a cluster or clients written against the released API (the idea of
 * Flink's {@code CrdCompatibilityChecker}): a removed version, field or enum value, a changed type
 * or format, a newly required field, a tightened bound. Additions are always allowed.
 */
public final class CrdCompatibility {
  private static final List<String> LOWER_BOUNDS =
      List.of("minimum", "minLength", "minItems", "minProperties");
  private static final List<String> UPPER_BOUNDS =
      List.of("maximum", "maxLength", "maxItems", "maxProperties");

  private CrdCompatibility() {}

  /**
   * Every breaking change, one line each naming the path; empty when {@code current} is compatible.
   */
  public static List<String> breakingChanges(JsonNode released, JsonNode current) {
    var problems = new ArrayList<String>();
    for (var field : List.of("group", "scope")) {
      same(
          problems,
          "spec." + field,
          released.path("spec").path(field),
          current.path("spec").path(field));
    }
    for (var field : List.of("kind", "plural", "singular", "listKind")) {
      same(
          problems,
          "spec.names." + field,
          released.path("spec").path("names").path(field),
          current.path("spec").path("names").path(field));
    }
    missing(
        problems,
        "spec.names.shortNames",
        texts(released.path("spec").path("names").path("shortNames")),
        texts(current.path("spec").path("names").path("shortNames")));
    for (var version : released.path("spec").path("versions")) {
      var name = version.path("name").asText();
      var now = version(current, name);
      var at = "version " + name;
      if (now == null) {
        problems.add(at + ": removed");
        continue;
      }
      if (version.path("served").asBoolean() && !now.path("served").asBoolean()) {
        problems.add(at + ": no longer served");
      }
      for (var sub : List.of("status", "scale")) {
        if (version.path("subresources").has(sub) && !now.path("subresources").has(sub)) {
          problems.add(at + ": subresource " + sub + " removed");
        }
      }
      schema(
          problems,
          at + " .",
          version.path("schema").path("openAPIV3Schema"),
          now.path("schema").path("openAPIV3Schema"));
    }
    return problems;
  }

  private static void schema(
      List<String> problems, String path, JsonNode released, JsonNode current) {
    if (released.isMissingNode()) {
      return;
    }
    if (current.isMissingNode()) {
      problems.add(path + ": removed");
      return;
    }
    same(problems, path + " type", released.path("type"), current.path("type"));
    same(problems, path + " format", released.path("format"), current.path("format"));
    if (released.path("x-kubernetes-preserve-unknown-fields").asBoolean()
        && !current.path("x-kubernetes-preserve-unknown-fields").asBoolean()) {
      problems.add(path + ": no longer preserves unknown fields");
    }
    if (released.has("enum")) {
      missing(
          problems,
          path + " enum",
          texts(released.path("enum")),
          current.has("enum") ? texts(current.path("enum")) : null);
    } else if (current.has("enum")) {
      problems.add(path + ": now restricted to " + texts(current.path("enum")));
    }
    var required = texts(current.path("required"));
    required.removeAll(texts(released.path("required")));
    if (!required.isEmpty()) {
      problems.add(path + ": newly required " + required);
    }
    for (var bound : LOWER_BOUNDS) {
      tightened(problems, path, bound, released.path(bound), current.path(bound), true);
    }
    for (var bound : UPPER_BOUNDS) {
      tightened(problems, path, bound, released.path(bound), current.path(bound), false);
    }
    if (released.has("pattern") && !released.path("pattern").equals(current.path("pattern"))) {
      problems.add(
          path
              + ": pattern changed from "
              + released.path("pattern")
              + " to "
              + current.path("pattern"));
    }
    released
        .path("properties")
        .fields()
        .forEachRemaining(
            e ->
                schema(
                    problems,
                    path + (path.endsWith(".") ? "" : ".") + e.getKey(),
                    e.getValue(),
                    current.path("properties").path(e.getKey())));
    schema(problems, path + "[]", released.path("items"), current.path("items"));
    if (released.path("additionalProperties").isObject()) {
      schema(
          problems,
          path + "{}",
          released.path("additionalProperties"),
          current.path("additionalProperties"));
    }
  }

  private static void tightened(
      List<String> problems,
      String path,
      String bound,
      JsonNode released,
      JsonNode current,
      boolean lower) {
    if (current.isMissingNode() || current.isNull()) {
      return;
    }
    if (released.isMissingNode() || released.isNull()) {
      problems.add(path + ": new " + bound + " " + current);
      return;
    }
    var tighter =
        lower ? current.asDouble() > released.asDouble() : current.asDouble() < released.asDouble();
    if (tighter) {
      problems.add(path + ": " + bound + " tightened from " + released + " to " + current);
    }
  }

  private static void same(
      List<String> problems, String path, JsonNode released, JsonNode current) {
    if (!released.isMissingNode() && !released.equals(current)) {
      problems.add(
          path
              + ": changed from "
              + released
              + " to "
              + (current.isMissingNode() ? "nothing" : current));
    }
  }

  private static void missing(
      List<String> problems, String path, Set<String> released, Set<String> current) {
    if (current == null) {
      return; // the restriction is gone: every released value still validates
    }
    var gone = new HashSet<>(released);
    gone.removeAll(current);
    if (!gone.isEmpty()) {
      problems.add(path + ": values removed " + gone);
    }
  }

  private static JsonNode version(JsonNode crd, String name) {
    for (var version : crd.path("spec").path("versions")) {
      if (version.path("name").asText().equals(name)) {
        return version;
      }
    }
    return null;
  }

  private static Set<String> texts(JsonNode array) {
    var out = new java.util.TreeSet<String>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}
