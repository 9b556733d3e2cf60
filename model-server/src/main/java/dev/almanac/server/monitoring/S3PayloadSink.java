package dev.almanac.server.monitoring;

import dev.almanac.registry.ArtifactStore;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes each batch as one object below {@code s3://bucket/prefix} through the registry module's
 * {@link ArtifactStore} (the same S3 client, settings and checksums as model artifacts). The store
 * uploads files, so a batch goes through a temporary file under {@code /tmp} (the pod's writable
 * emptyDir).
 */
public final class S3PayloadSink implements PayloadSink, AutoCloseable {
  private final ArtifactStore store;
  private final String prefix;
  private final Path tmpDir;

  public S3PayloadSink(ArtifactStore store, String prefix, Path tmpDir) {
    this.store = store;
    this.prefix = prefix;
    this.tmpDir = tmpDir;
  }

  @Override
  public void write(String name, byte[] jsonLines) throws Exception {
    Files.createDirectories(tmpDir);
    Path file = Files.createTempFile(tmpDir, "payloads-", ".jsonl");
    try {
      Files.write(file, jsonLines);
      store.upload(file, prefix + "/" + name);
    } finally {
      Files.deleteIfExists(file);
    }
  }

  @Override
  public void close() {
    store.close();
  }
}
