package dev.almanac.registry;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.codec.digest.DigestUtils;

/** SHA-256 of files (commons-codec), shared by upload checksums and the manifest. */
final class Sha256 {
  private Sha256() {}

  static byte[] of(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return DigestUtils.sha256(in);
    }
  }

  static String hex(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return DigestUtils.sha256Hex(in);
    }
  }
}
