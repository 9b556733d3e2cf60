package dev.almanac.registry;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * The list of files of an uploaded artifact directory with their sizes and SHA-256, written as
 * {@value ArtifactTransfer#MANIFEST} after every other file. Its presence means the upload
 * completed; downloads check every file against it.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ArtifactManifest(int format, List<Entry> files) {
  public static final int FORMAT = 1;

  public ArtifactManifest {
    files = List.copyOf(files);
  }

  /** One file: {@code path} relative to the directory, with '/' separators. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Entry(String path, long size, String sha256) {}

  public long totalBytes() {
    return files.stream().mapToLong(Entry::size).sum();
  }
}
