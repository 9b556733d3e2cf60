package dev.almanac.registry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Downloads a model directory that MLflow's Python client logged (no Almanac manifest), checked
 * against what MLflow and its artifact store record: the store's listing (every file, with its
 * size), the {@code MLmodel} file (an {@code onnx} flavor whose file is there) and, when MLflow
 * wrote it, {@code model_size_bytes}. MLflow records no digests; the SHA-256 of what was downloaded
 * is returned in the manifest for the record.
 */
final class MlflowModelDownload {
  /** Almanac's bundle metadata: a directory holding it but no manifest is a partial upload. */
  private static final String ALMANAC_BUNDLE_FILE = "almanac.json";

  private final ArtifactTransfer artifacts;

  MlflowModelDownload(ArtifactTransfer artifacts) {
    this.artifacts = artifacts;
  }

  /**
   * @param what the version in a user's words ("version 3 of iris"), for messages
   * @throws NoOnnxFlavorException the model is not ONNX (nothing but MLmodel was downloaded)
   */
  FetchedModel download(ModelVersionInfo version, String artifactUri, Path target, String what) {
    var base = ArtifactTransfer.trimSlash(artifactUri);
    List<ArtifactFile> files = artifacts.list(base);
    var paths = files.stream().map(ArtifactFile::path).toList();
    if (paths.contains(ALMANAC_BUNDLE_FILE)) {
      throw new ArtifactIntegrityException(
          "no "
              + ArtifactTransfer.MANIFEST
              + " at "
              + base
              + ": the upload did not complete (or was not made by Almanac)");
    }
    if (!paths.contains(MlflowModelMetadata.FILE)) {
      throw new ArtifactIntegrityException(
          what
              + " at "
              + base
              + " is not an MLflow model: neither "
              + ArtifactTransfer.MANIFEST
              + " nor "
              + MlflowModelMetadata.FILE
              + " is there (files: "
              + paths
              + ")");
    }
    var model = readMlmodel(base, what);
    if (!model.hasOnnxFlavor()) {
      throw model.noOnnxFlavor(what);
    }
    var onnx = model.onnxFile().orElseThrow();
    if (!paths.contains(onnx)) {
      throw new ArtifactIntegrityException(
          what + ": MLmodel names ONNX file " + onnx + ", which is not at " + base);
    }
    var manifest = artifacts.downloadListed(base, files, target);
    return new FetchedModel(
        version, artifactUri, target, manifest, FetchedModel.Integrity.MLFLOW_LISTING);
  }

  private MlflowModelMetadata readMlmodel(String base, String what) {
    Path tmp = null;
    try {
      tmp = Files.createTempFile("MLmodel", ".yaml");
      artifacts.downloadFile(base + "/" + MlflowModelMetadata.FILE, tmp);
      return MlflowModelMetadata.parse(Files.readString(tmp), what + " MLmodel");
    } catch (IOException e) {
      throw new RegistryException("cannot read the MLmodel of " + what + ": " + e.getMessage(), e);
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // a temp file left behind is harmless
        }
      }
    }
  }
}
