package dev.almanac.registry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Uploads and downloads whole artifact directories with integrity: every file goes up first, then
 * {@value #MANIFEST} (path, size, SHA-256 of each file) last, so a directory without a manifest is
 * a partial upload. Downloads require the manifest, check every file against it, and land in the
 * target directory only when all files match.
 */
public final class ArtifactTransfer implements AutoCloseable {
  public static final String MANIFEST = "almanac-manifest.json";
  private static final Logger LOG = LoggerFactory.getLogger(ArtifactTransfer.class);

  private final List<ArtifactStore> stores;

  public ArtifactTransfer(List<ArtifactStore> stores) {
    this.stores = List.copyOf(stores);
  }

  /** S3 for {@code s3://} URIs and MLflow's artifact proxy for {@code mlflow-artifacts:} URIs. */
  public static ArtifactTransfer create(MlflowHttp http, S3Settings s3) {
    return new ArtifactTransfer(List.of(new S3ArtifactStore(s3), new ProxiedArtifactStore(http)));
  }

  public ArtifactManifest uploadDirectory(Path dir, String artifactUri) {
    return uploadDirectory(dir, artifactUri, entry -> {});
  }

  /**
   * Uploads every regular file under {@code dir} to {@code artifactUri}/relative-path, then the
   * manifest. {@code afterEachFile} sees each file once it is stored (progress, failure injection
   * in tests). A failure leaves no manifest behind; an interrupted upload over an earlier one
   * leaves files that no longer match the old manifest, so downloads fail verification instead of
   * returning a mix.
   */
  public ArtifactManifest uploadDirectory(
      Path dir, String artifactUri, Consumer<ArtifactManifest.Entry> afterEachFile) {
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException("not a directory: " + dir);
    }
    var base = trimSlash(artifactUri);
    var store = storeFor(base);
    var entries = new ArrayList<ArtifactManifest.Entry>();
    for (var file : regularFiles(dir)) {
      var relative = relativePath(dir, file);
      if (relative.equals(MANIFEST)) {
        continue;
      }
      ArtifactManifest.Entry entry;
      try {
        entry = new ArtifactManifest.Entry(relative, Files.size(file), Sha256.hex(file));
      } catch (IOException e) {
        throw new RegistryException("cannot read " + file + ": " + e.getMessage(), e);
      }
      store.upload(file, base + "/" + relative);
      entries.add(entry);
      afterEachFile.accept(entry);
    }
    var manifest = new ArtifactManifest(ArtifactManifest.FORMAT, entries);
    Path manifestFile = null;
    try {
      manifestFile = Files.createTempFile("almanac-manifest", ".json");
      MlflowHttp.JSON.writerWithDefaultPrettyPrinter().writeValue(manifestFile.toFile(), manifest);
      store.upload(manifestFile, base + "/" + MANIFEST);
    } catch (IOException e) {
      throw new RegistryException("cannot write the artifact manifest: " + e.getMessage(), e);
    } finally {
      deleteQuietly(manifestFile);
    }
    LOG.info("uploaded {} files ({} bytes) to {}", entries.size(), manifest.totalBytes(), base);
    return manifest;
  }

  /**
   * Reads the manifest of an uploaded directory; {@link ArtifactIntegrityException} when there is
   * none.
   */
  public ArtifactManifest readManifest(String artifactUri) {
    var base = trimSlash(artifactUri);
    var store = storeFor(base);
    var manifestUri = base + "/" + MANIFEST;
    if (!store.exists(manifestUri)) {
      throw new ArtifactIntegrityException(
          "no "
              + MANIFEST
              + " at "
              + base
              + ": the upload did not complete (or was not made by Almanac)");
    }
    Path tmp = null;
    try {
      tmp = Files.createTempFile("almanac-manifest", ".json");
      store.download(manifestUri, tmp);
      var manifest = MlflowHttp.JSON.readValue(tmp.toFile(), ArtifactManifest.class);
      if (manifest.format() != ArtifactManifest.FORMAT) {
        throw new ArtifactIntegrityException(
            manifestUri
                + " has format "
                + manifest.format()
                + "; this reader knows "
                + ArtifactManifest.FORMAT);
      }
      return manifest;
    } catch (IOException e) {
      throw new ArtifactIntegrityException("unreadable " + manifestUri + ": " + e.getMessage());
    } finally {
      deleteQuietly(tmp);
    }
  }

  /**
   * Downloads the directory at {@code artifactUri} into {@code target} (which must not exist or be
   * empty) and checks every file's size and SHA-256 against the manifest. On any mismatch nothing
   * is left in {@code target} and {@link ArtifactIntegrityException} names the file.
   */
  public ArtifactManifest downloadDirectory(String artifactUri, Path target) {
    return downloadDirectory(artifactUri, target, path -> true);
  }

  /**
   * Like {@link #downloadDirectory(String, Path)}, for the manifest's files whose path {@code
   * wanted} accepts; returns the manifest of those.
   */
  public ArtifactManifest downloadDirectory(
      String artifactUri, Path target, java.util.function.Predicate<String> wanted) {
    var base = trimSlash(artifactUri);
    var store = storeFor(base);
    requireEmptyOrAbsent(target);
    var all = readManifest(base);
    var manifest =
        new ArtifactManifest(
            all.format(), all.files().stream().filter(e -> wanted.test(e.path())).toList());
    var absoluteTarget = target.toAbsolutePath().normalize();
    var staging =
        absoluteTarget.resolveSibling(
            absoluteTarget.getFileName() + ".partial-" + UUID.randomUUID());
    try {
      Files.createDirectories(staging);
      for (var entry : manifest.files()) {
        var local = safeResolve(staging, entry.path(), base);
        Files.createDirectories(local.getParent());
        store.download(base + "/" + entry.path(), local);
        verify(entry, local, base);
      }
      moveInto(staging, absoluteTarget);
      return manifest;
    } catch (IOException e) {
      throw new RegistryException("cannot write into " + target + ": " + e.getMessage(), e);
    } finally {
      deleteRecursively(staging);
    }
  }

  /** Whether {@code artifactUri} holds an Almanac upload's manifest. */
  public boolean hasManifest(String artifactUri) {
    var base = trimSlash(artifactUri);
    return storeFor(base).exists(base + "/" + MANIFEST);
  }

  /** Every file under {@code artifactUri} with the size its store records. */
  public List<ArtifactFile> list(String artifactUri) {
    var base = trimSlash(artifactUri);
    return storeFor(base).list(base);
  }

  /**
   * Downloads {@code files} (as {@link #list} gave them) of a directory that has no manifest, the
   * way MLflow's Python client leaves one: each file must have the size the store lists for it.
   * Returns a manifest of what landed (with the SHA-256 computed here, for the record). Like {@link
   * #downloadDirectory}, nothing is left in {@code target} on a mismatch.
   */
  public ArtifactManifest downloadListed(
      String artifactUri, List<ArtifactFile> files, Path target) {
    var base = trimSlash(artifactUri);
    var store = storeFor(base);
    requireEmptyOrAbsent(target);
    var absoluteTarget = target.toAbsolutePath().normalize();
    var staging =
        absoluteTarget.resolveSibling(
            absoluteTarget.getFileName() + ".partial-" + UUID.randomUUID());
    var entries = new ArrayList<ArtifactManifest.Entry>();
    try {
      Files.createDirectories(staging);
      for (var file : files) {
        var local = safeResolve(staging, file.path(), base);
        Files.createDirectories(local.getParent());
        store.download(base + "/" + file.path(), local);
        long size = Files.size(local);
        if (file.size() >= 0 && size != file.size()) {
          throw new ArtifactIntegrityException(
              base + "/" + file.path() + " has " + size + " bytes, the store lists " + file.size());
        }
        entries.add(new ArtifactManifest.Entry(file.path(), size, Sha256.hex(local)));
      }
      moveInto(staging, absoluteTarget);
      return new ArtifactManifest(ArtifactManifest.FORMAT, entries);
    } catch (IOException e) {
      throw new RegistryException("cannot write into " + target + ": " + e.getMessage(), e);
    } finally {
      deleteRecursively(staging);
    }
  }

  /** Uploads one file (no manifest). */
  public void uploadFile(Path file, String uri) {
    storeFor(uri).upload(file, uri);
  }

  /** Downloads one file (no manifest check). */
  public void downloadFile(String uri, Path target) {
    storeFor(uri).download(uri, target);
  }

  private static void verify(ArtifactManifest.Entry entry, Path local, String base)
      throws IOException {
    long size = Files.size(local);
    if (size != entry.size()) {
      throw new ArtifactIntegrityException(
          base + "/" + entry.path() + " has " + size + " bytes, manifest says " + entry.size());
    }
    var sha = Sha256.hex(local);
    if (!sha.equals(entry.sha256())) {
      throw new ArtifactIntegrityException(
          base
              + "/"
              + entry.path()
              + " has SHA-256 "
              + sha
              + ", manifest says "
              + entry.sha256()
              + " (object changed or corrupted after upload)");
    }
  }

  private static Path safeResolve(Path root, String relative, String base) {
    var resolved = root.resolve(relative).normalize();
    if (relative.startsWith("/") || !resolved.startsWith(root) || resolved.equals(root)) {
      throw new ArtifactIntegrityException(
          base + "/" + MANIFEST + " lists a path outside the directory: " + relative);
    }
    return resolved;
  }

  private static void requireEmptyOrAbsent(Path target) {
    if (!Files.exists(target)) {
      return;
    }
    if (!Files.isDirectory(target)) {
      throw new IllegalArgumentException(
          "download target " + target + " exists and is not a directory");
    }
    try (Stream<Path> children = Files.list(target)) {
      if (children.findAny().isPresent()) {
        throw new IllegalArgumentException("download target " + target + " is not empty");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + target, e);
    }
  }

  private static void moveInto(Path staging, Path target) throws IOException {
    Files.deleteIfExists(target); // empty directory, checked before
    try {
      Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(staging, target);
    }
  }

  private ArtifactStore storeFor(String uri) {
    for (var store : stores) {
      if (store.handles(uri)) {
        return store;
      }
    }
    throw new IllegalArgumentException(
        "no artifact store for '" + uri + "' (supported: s3://, mlflow-artifacts:/)");
  }

  private static List<Path> regularFiles(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      return paths.filter(Files::isRegularFile).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
  }

  private static String relativePath(Path dir, Path file) {
    return dir.relativize(file).toString().replace(java.io.File.separatorChar, '/');
  }

  static String trimSlash(String uri) {
    var s = uri;
    while (s.endsWith("/")) {
      s = s.substring(0, s.length() - 1);
    }
    return s;
  }

  private static void deleteQuietly(Path file) {
    if (file != null) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException ignored) {
        // a temp file left behind is harmless
      }
    }
  }

  private static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      LOG.warn("could not delete {}: {}", dir, e.getMessage());
    }
  }

  @Override
  public void close() {
    for (var store : stores) {
      store.close();
    }
  }
}
