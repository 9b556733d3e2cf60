package dev.almanac.api.v1alpha1.compat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.almanac.testbed.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The CRDs this build generates stay compatible with every released set under {@code
 * src/test/resources/released/<version>/}: on a release, copy the generated CRDs there
 * (docs/upgrading.md). A change this test refuses needs a new API version and a conversion.
 */
class CrdCompatibilityTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Path RELEASED =
      Tools.projectDir().resolve("crds/src/test/resources/released");
  private static final Path GENERATED =
      Tools.projectDir().resolve("crds/target/classes/META-INF/fabric8");

  static Stream<Path> releasedCrds() throws IOException {
    try (var files = Files.walk(RELEASED)) {
      return files.filter(p -> p.toString().endsWith(".yml")).sorted().toList().stream();
    }
  }

  @ParameterizedTest
  @MethodSource("releasedCrds")
  void generatedCrdKeepsEveryReleasedField(Path released) throws IOException {
    var current = GENERATED.resolve(released.getFileName().toString());
    assertThat(current).as("a released CRD is no longer generated").exists();
    assertThat(CrdCompatibility.breakingChanges(read(released), read(current)))
        .as("breaking changes against %s", RELEASED.relativize(released))
        .isEmpty();
  }

  @Test
  void checkerFindsRemovedRetypedRequiredAndTightenedFields() throws IOException {
    var released = read(GENERATED.resolve("forecastpipelines.almanac.dev-v1.yml"));
    var changed = released.deepCopy();
    var spec = (ObjectNode) changed.at("/spec/versions/0/schema/openAPIV3Schema/properties/spec");
    var properties = (ObjectNode) spec.path("properties");
    properties.remove("schedule");
    ((ObjectNode) properties.path("horizon")).put("type", "string");
    ((ArrayNode) spec.withArray("required")).add("suspend");
    ((ObjectNode) properties.path("horizon")).put("maximum", 3);
    var problems = CrdCompatibility.breakingChanges(released, changed);
    assertThat(String.join("\n", problems))
        .contains("spec.schedule: removed")
        .contains("spec.horizon type: changed from \"integer\" to \"string\"")
        .contains("spec: newly required [suspend]")
        .contains("spec.horizon: maximum tightened");
    assertThat(CrdCompatibility.breakingChanges(released, released)).isEmpty();
  }

  @Test
  void checkerAllowsAdditions() throws IOException {
    var released = read(GENERATED.resolve("modeldeployments.almanac.dev-v1.yml"));
    var changed = released.deepCopy();
    ((ObjectNode) changed.at("/spec/versions/0/schema/openAPIV3Schema/properties/spec/properties"))
        .putObject("newField")
        .put("type", "string");
    assertThat(CrdCompatibility.breakingChanges(released, changed)).isEmpty();
  }

  private static JsonNode read(Path file) throws IOException {
    return YAML.readTree(file.toFile());
  }
}
