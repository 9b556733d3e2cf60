package dev.almanac.api.v1alpha1;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.almanac.api.v1alpha1.deployment.ModelDeployment;
import dev.almanac.api.v1alpha1.pipeline.ForecastPipeline;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Build step (process-test-classes): the CRD generator sorts printer columns by JSON path, which
 * puts AGE first in {@code kubectl get}. This puts them back in the order the annotations declare.
 */
public final class PrinterColumnOrder {
  private PrinterColumnOrder() {}

  public static void main(String[] args) throws IOException {
    var dir = Path.of(args[0]);
    reorder(dir.resolve("forecastpipelines.almanac.dev-v1.yml"), ForecastPipeline.class);
    reorder(dir.resolve("modeldeployments.almanac.dev-v1.yml"), ModelDeployment.class);
  }

  static void reorder(Path crd, Class<?> kind) throws IOException {
    var yaml =
        new ObjectMapper(
            new YAMLFactory()
                .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));
    var text = Files.readString(crd);
    var header = text.startsWith("#") ? text.substring(0, text.indexOf('\n') + 1) : "";
    var root = (ObjectNode) yaml.readTree(text);
    List<String> order =
        Arrays.stream(kind.getAnnotationsByType(AdditionalPrinterColumn.class))
            .map(AdditionalPrinterColumn::name)
            .toList();
    for (JsonNode version : root.path("spec").path("versions")) {
      var columns = (ArrayNode) version.get("additionalPrinterColumns");
      var sorted = yaml.createArrayNode();
      order.forEach(
          name ->
              columns.forEach(
                  c -> {
                    if (c.path("name").asText().equals(name)) {
                      sorted.add(c);
                    }
                  }));
      if (sorted.size() != columns.size()) {
        throw new IllegalStateException(
            "printer columns of " + crd + " do not match the annotations of " + kind);
      }
      ((ObjectNode) version).set("additionalPrinterColumns", sorted);
    }
    Files.writeString(crd, header + yaml.writeValueAsString(root));
  }
}
