package dev.almanac.registry;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA-256 of files, shared by upload checksums and the manifest. */
final class Sha256 {
  private Sha256() {}

  static byte[] of(Path file) throws IOException {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("JVM without SHA-256", e);
    }
    try (InputStream in = Files.newInputStream(file)) {
      var buffer = new byte[64 * 1024];
      int n;
      while ((n = in.read(buffer)) > 0) {
        digest.update(buffer, 0, n);
      }
    }
    return digest.digest();
  }

  static String hex(Path file) throws IOException {
    return java.util.HexFormat.of().formatHex(of(file));
  }
}
