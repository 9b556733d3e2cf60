package dev.almanac.nodetests;

import dev.almanac.demo.ClusterStack;
import java.nio.file.Files;
import java.nio.file.Path;

/** The node tier's one cluster per test JVM ({@link ClusterStack}) and what it measured. */
final class NodeCluster {
  static final String NAMESPACE = ClusterStack.NAMESPACE;
  private static ClusterStack stack;
  static final Measurements MEASUREMENTS = new Measurements();

  private NodeCluster() {}

  static synchronized ClusterStack shared() throws Exception {
    if (stack == null) {
      for (var tar : ClusterStack.imageTars()) {
        if (Files.isRegularFile(tar)) {
          MEASUREMENTS.note(
              "image tar " + tar.getFileName(), String.format("%.1f MB", Files.size(tar) / 1e6));
        }
      }
      stack =
          new ClusterStack(
              System.getProperty("almanac.image.registry", "ghcr.io/almanac-dev"),
              System.getProperty("almanac.image.tag", "0.1.0-SNAPSHOT"),
              MEASUREMENTS::record);
      Runtime.getRuntime().addShutdownHook(new Thread(stack::close, "node-cluster-servers"));
    }
    return stack;
  }

  static Path reportFile() {
    return Path.of("target", "node-measurements.txt").toAbsolutePath();
  }
}
