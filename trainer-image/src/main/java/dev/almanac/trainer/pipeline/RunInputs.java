package dev.almanac.trainer.pipeline;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.codec.digest.DigestUtils;

/**
 * One SHA-256 over every data file a run reads (the data, and a classifier's test split): equal
 * digests mean the run would see the same bytes. Recorded on each version so a scheduled run can
 * tell that nothing changed since production ({@code almanac.inputs_sha256}).
 */
public final class RunInputs {
  private RunInputs() {}

  public static String digest(ForecastSettings s) {
    StringBuilder files = new StringBuilder(fileDigest(s.data()));
    if (s.testData() != null) {
      files.append('\n').append(fileDigest(s.testData()));
    }
    return DigestUtils.sha256Hex(files.toString());
  }

  private static String fileDigest(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return DigestUtils.sha256Hex(in);
    } catch (IOException e) {
      throw new RunFailure(ExitCode.DATA_ERROR, file + ": cannot read: " + e.getMessage(), e);
    }
  }
}
