package dev.almanac.server.bundle;

import dev.almanac.ml.bundle.BundleFiles;
import dev.almanac.registry.FetchedModel;
import dev.almanac.registry.MlflowConnection;
import dev.almanac.registry.ModelUri;
import dev.almanac.registry.ModelVersionInfo;
import dev.almanac.server.model.ModelLoadException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code models:/name/version}, {@code models:/name@alias} (and stages, {@code latest}) through the
 * registry module: resolve to an exact version, download and verify it into {@code
 * <cacheDir>/<name>/<version>-<runId>} once (versions are immutable), serve from there. Anything
 * else is a local bundle directory. The MLflow connection is opened on the first registry URI, from
 * the {@code MLFLOW_*} / {@code AWS_*} environment.
 */
public final class RegistryModelSource implements ModelSourceResolver {
  private static final Logger LOG = LoggerFactory.getLogger(RegistryModelSource.class);
  private static final String COMPLETE = ".almanac-complete";

  private final Path cacheDir;
  private final Supplier<MlflowConnection> connect;
  private MlflowConnection connection;

  public RegistryModelSource(Path cacheDir, Map<String, String> env) {
    this(cacheDir, () -> MlflowConnection.fromEnv(env));
  }

  public RegistryModelSource(Path cacheDir, Supplier<MlflowConnection> connect) {
    this.cacheDir = cacheDir;
    this.connect = connect;
  }

  @Override
  public Resolved resolve(String source) throws ModelLoadException {
    if (!source.startsWith(ModelUri.PREFIX)) {
      return new Resolved(Path.of(source), null, null);
    }
    ModelUri uri;
    try {
      uri = ModelUri.parse(source);
    } catch (IllegalArgumentException e) {
      throw new ModelLoadException(e.getMessage(), e);
    }
    try {
      MlflowConnection mlflow = connection();
      ModelVersionInfo version = mlflow.registry().resolve(uri);
      // The run id is part of the key: a registry rebuilt from scratch (or a second one) reuses
      // name + version numbers for different models, and the cache must never serve the old one.
      Path target =
          cacheDir
              .resolve(safe(version.name()))
              .resolve(
                  safe(version.version() + (version.runId() == null ? "" : "-" + version.runId())));
      if (Files.exists(target.resolve(COMPLETE))) {
        LOG.info(
            "{} resolved to {} version {}, already in the cache at {}",
            source,
            version.name(),
            version.version(),
            target);
        return new Resolved(target, version.name(), version.version());
      }
      Files.createDirectories(cacheDir);
      Path tmp = Files.createTempDirectory(cacheDir, ".download-");
      try {
        FetchedModel fetched =
            mlflow.fetcher().fetch(version, tmp.resolve("model"), BundleFiles::readForPrediction);
        Files.writeString(fetched.directory().resolve(COMPLETE), fetched.artifactUri() + "\n");
        Files.createDirectories(target.getParent());
        try {
          Files.move(fetched.directory(), target, StandardCopyOption.ATOMIC_MOVE);
        } catch (java.nio.file.FileSystemException raced) {
          // (Linux reports a rename onto a non-empty directory as a plain FileSystemException,
          // ENOTEMPTY.)
          // Another server sharing this cache (a second replica on the same node) moved the same
          // version in first: it is complete (moves are atomic and carry the marker), so use it and
          // never delete it under that server's feet. Only a directory without the marker is junk.
          if (!Files.exists(target.resolve(COMPLETE))) {
            if (!Files.exists(target)) {
              throw raced;
            }
            deleteTree(target);
            Files.move(fetched.directory(), target, StandardCopyOption.ATOMIC_MOVE);
          }
        }
      } finally {
        deleteTree(tmp);
      }
      LOG.info(
          "{} resolved to {} version {}, downloaded to {}",
          source,
          version.name(),
          version.version(),
          target);
      return new Resolved(target, version.name(), version.version());
    } catch (RuntimeException e) {
      throw new ModelLoadException("cannot load " + source + ": " + e.getMessage(), e);
    } catch (IOException e) {
      throw new ModelLoadException("cannot load " + source + ": cache " + cacheDir + ": " + e, e);
    }
  }

  private synchronized MlflowConnection connection() {
    if (connection == null) {
      connection = connect.get();
    }
    return connection;
  }

  /** A path segment from a registry name (names may hold characters a file name should not). */
  static String safe(String s) {
    return s.replaceAll("[^A-Za-z0-9._-]", "_");
  }

  private static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(p)) {
      for (Path x : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(x);
      }
    }
  }
}
