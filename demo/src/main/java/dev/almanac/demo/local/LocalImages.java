package dev.almanac.demo.local;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Maps the container images the operator asks for to the jars this build produced, so a Job or
 * Deployment runs as a local Java process. An image matches when its repository name contains the
 * key (e.g. {@code ghcr.io/almanac-dev/almanac-trainer:0.1.0} matches {@code almanac-trainer}).
 */
public record LocalImages(Map<String, Path> jarsByImageName) {

  /** The three Almanac jars of a built checkout. */
  public static LocalImages ofProject(Path projectDir) {
    var jars = new LinkedHashMap<String, Path>();
    jars.put("almanac-trainer", projectDir.resolve("trainer-image/target/almanac-trainer.jar"));
    jars.put(
        "almanac-model-server", projectDir.resolve("model-server/target/almanac-model-server.jar"));
    jars.put("almanac-operator", projectDir.resolve("operator/target/almanac-operator.jar"));
    return new LocalImages(jars);
  }

  public Optional<Path> jarFor(String image) {
    var repository = image == null ? "" : image.replaceFirst("[:@].*$", "");
    var name = repository.substring(repository.lastIndexOf('/') + 1);
    return jarsByImageName.entrySet().stream()
        .filter(e -> name.equals(e.getKey()) || name.contains(e.getKey()))
        .map(Map.Entry::getValue)
        .findFirst();
  }

  /** The jar for an image, or a clear error naming the image and the build command. */
  public Path requireJar(String image) {
    var jar =
        jarFor(image)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "the local runner has no jar for image "
                            + image
                            + "; known: "
                            + jarsByImageName.keySet()));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          jar + " is missing; build it with: mvn -q install -DskipTests");
    }
    return jar;
  }
}
