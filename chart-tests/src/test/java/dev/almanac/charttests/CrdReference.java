package dev.almanac.charttests;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Writes {@code docs/crd-reference.md} from the generated CRDs: for each kind its names, printer
 * columns, CEL rules and one row per field of the openAPIV3Schema (path, type, required, default,
 * constraints, description). Deterministic, so a test can tell when the committed file is stale.
 */
final class CrdReference {
  static final List<String> CRD_RESOURCES =
      List.of(
          "/META-INF/fabric8/forecastpipelines.almanac.dev-v1.yml",
          "/META-INF/fabric8/modeldeployments.almanac.dev-v1.yml");

  private final StringBuilder out = new StringBuilder();

  static String generate() {
    var doc = new CrdReference();
    doc.out
        .append("# CRD reference\n\n")
        .append(
            "<!-- Generated from the CRDs of the crds module by chart-tests (CrdReference). Do not edit: run\n")
        .append(
            "     mvn -o -q -B -pl chart-tests test -Dtest=CrdReferenceTest -Dalmanac.updateDocs=true -->\n\n")
        .append(
            "Group `almanac.dev`. Every field is listed with its JSON path below `spec` or `status`; `[]` marks\n")
        .append(
            "the items of a list, `{}` the values of a map. Unknown fields are rejected by the API server.\n\n");
    var crds = CRD_RESOURCES.stream().map(r -> Yaml.read(Project.resource(r))).toList();
    for (var crd : crds) {
      var kind = crd.path("spec").path("names").path("kind").asText();
      doc.out.append("- [").append(kind).append("](#").append(kind.toLowerCase()).append(")\n");
    }
    for (var crd : crds) {
      doc.crd(crd);
    }
    return doc.out.toString();
  }

  private void crd(JsonNode crd) {
    var spec = crd.path("spec");
    var names = spec.path("names");
    out.append("\n## ").append(names.path("kind").asText()).append("\n\n");
    for (var version : spec.path("versions")) {
      out.append("`apiVersion: ")
          .append(spec.path("group").asText())
          .append('/')
          .append(version.path("name").asText())
          .append("` · scope ")
          .append(spec.path("scope").asText())
          .append(" · plural `")
          .append(names.path("plural").asText())
          .append('`');
      if (names.has("shortNames")) {
        var shorts = new ArrayList<String>();
        names.path("shortNames").forEach(s -> shorts.add("`" + s.asText() + "`"));
        out.append(" · short names ").append(String.join(", ", shorts));
      }
      var subresources = new ArrayList<String>();
      version.path("subresources").fieldNames().forEachRemaining(subresources::add);
      if (!subresources.isEmpty()) {
        out.append(" · subresources ").append(String.join(", ", subresources));
      }
      out.append("\n\n");
      if (version.has("additionalPrinterColumns")) {
        out.append("`kubectl get` columns:\n\n| Column | Type | JSON path |\n|---|---|---|\n");
        version
            .path("additionalPrinterColumns")
            .forEach(
                c ->
                    out.append("| ")
                        .append(c.path("name").asText())
                        .append(" | ")
                        .append(c.path("type").asText())
                        .append(" | `")
                        .append(cell(c.path("jsonPath").asText()))
                        .append("` |\n"));
        out.append('\n');
      }
      var root = version.path("schema").path("openAPIV3Schema");
      var rules = new ArrayList<String[]>();
      for (var top : List.of("spec", "status")) {
        var node = root.path("properties").path(top);
        if (node.isMissingNode()) {
          continue;
        }
        out.append("### ")
            .append(names.path("kind").asText())
            .append(' ')
            .append(top)
            .append("\n\n");
        if (node.has("description")) {
          out.append(text(node.path("description").asText())).append("\n\n");
        }
        out.append(
            "| Field | Type | Required | Default | Constraints | Description |\n|---|---|---|---|---|---|\n");
        collectRules(top, node, rules);
        fields(top, node);
        out.append('\n');
      }
      collectRules("", root, rules);
      if (!rules.isEmpty()) {
        out.append("### ")
            .append(names.path("kind").asText())
            .append(" validation rules (CEL)\n\n")
            .append("| On | Rule | Message |\n|---|---|---|\n");
        for (var r : rules) {
          out.append("| `")
              .append(r[0].isEmpty() ? "(object)" : r[0])
              .append("` | `")
              .append(cell(r[1]))
              .append("` | ")
              .append(cell(r[2]))
              .append(" |\n");
        }
        out.append('\n');
      }
    }
  }

  private void fields(String path, JsonNode schema) {
    Set<String> required = new HashSet<>();
    schema.path("required").forEach(r -> required.add(r.asText()));
    var props = new ArrayList<String>();
    schema.path("properties").fieldNames().forEachRemaining(props::add);
    props.sort(String::compareTo);
    for (var name : props) {
      var child = schema.path("properties").path(name);
      var childPath = path + "." + name;
      row(childPath, child, required.contains(name));
      descend(childPath, child);
    }
  }

  private void descend(String path, JsonNode schema) {
    if (schema.has("properties")) {
      fields(path, schema);
    } else if (schema.path("type").asText().equals("array") && schema.has("items")) {
      var items = schema.path("items");
      if (items.has("properties")) {
        fields(path + "[]", items);
      }
    } else if (schema.path("additionalProperties").isObject()
        && schema.path("additionalProperties").has("properties")) {
      fields(path + "{}", schema.path("additionalProperties"));
    }
  }

  private void row(String path, JsonNode schema, boolean required) {
    out.append("| `")
        .append(path)
        .append("` | ")
        .append(type(schema))
        .append(" | ")
        .append(required ? "yes" : "")
        .append(" | ")
        .append(schema.has("default") ? "`" + cell(compact(schema.path("default"))) + "`" : "")
        .append(" | ")
        .append(cell(constraints(schema)))
        .append(" | ")
        .append(cell(text(schema.path("description").asText(""))))
        .append(" |\n");
  }

  private static String type(JsonNode schema) {
    var type = schema.path("type").asText("");
    if (schema.path("x-kubernetes-int-or-string").asBoolean(false)) {
      return "int or string";
    }
    if (type.equals("array")) {
      return "array of " + (schema.path("items").path("type").asText("object"));
    }
    if (type.equals("object") && schema.path("additionalProperties").isObject()) {
      return "map of " + schema.path("additionalProperties").path("type").asText("object");
    }
    if (type.isEmpty() && schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
      return "any";
    }
    return type.isEmpty() ? "object" : type;
  }

  private static String constraints(JsonNode s) {
    var c = new ArrayList<String>();
    if (s.has("enum")) {
      var values = new ArrayList<String>();
      s.path("enum").forEach(v -> values.add(v.asText()));
      c.add("one of " + String.join(", ", values));
    }
    bound(c, s, "minimum", "≥ ");
    bound(c, s, "maximum", "≤ ");
    bound(c, s, "minLength", "min length ");
    bound(c, s, "maxLength", "max length ");
    bound(c, s, "minItems", "min items ");
    bound(c, s, "maxItems", "max items ");
    if (s.has("pattern")) {
      c.add("pattern `" + s.path("pattern").asText() + "`");
    }
    if (s.has("format")) {
      c.add("format " + s.path("format").asText());
    }
    if (s.has("x-kubernetes-validations")) {
      c.add("CEL rule(s), see below");
    }
    if (s.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
      c.add("free-form");
    }
    return String.join("; ", c);
  }

  private static void bound(List<String> c, JsonNode s, String key, String label) {
    if (s.has(key)) {
      var v = s.path(key);
      c.add(
          label
              + (v.isNumber() && v.asDouble() == Math.rint(v.asDouble())
                  ? String.valueOf(v.asLong())
                  : v.asText()));
    }
  }

  private static void collectRules(String path, JsonNode schema, List<String[]> rules) {
    schema
        .path("x-kubernetes-validations")
        .forEach(
            v ->
                rules.add(
                    new String[] {path, v.path("rule").asText(), v.path("message").asText("")}));
    if (path.isEmpty()) {
      return;
    }
    schema
        .path("properties")
        .fields()
        .forEachRemaining(e -> collectRules(path + "." + e.getKey(), e.getValue(), rules));
    if (schema.has("items")) {
      collectRules(path + "[]", schema.path("items"), rules);
    }
    if (schema.path("additionalProperties").isObject()) {
      collectRules(path + "{}", schema.path("additionalProperties"), rules);
    }
  }

  private static String compact(JsonNode node) {
    return node.isTextual() ? node.asText() : node.toString();
  }

  private static String text(String s) {
    return s.replace("\n", " ").replaceAll("\\s+", " ").strip();
  }

  private static String cell(String s) {
    return text(s).replace("|", "\\|");
  }
}
