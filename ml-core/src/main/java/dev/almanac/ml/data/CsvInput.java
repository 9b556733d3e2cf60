package dev.almanac.ml.data;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import de.siegmar.fastcsv.reader.FieldMismatchStrategy;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.Iterator;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.apache.commons.codec.binary.Hex;
import org.apache.commons.codec.digest.DigestUtils;

/**
 * Opens a CSV file, gzip or plain (detected by the magic bytes, not the name), and computes the
 * SHA-256 of the bytes as stored while they stream past, for dataset lineage.
 */
public final class CsvInput implements AutoCloseable {
  private final Path path;
  private final MessageDigest digest;
  private final Reader reader;

  private CsvInput(Path path) throws IOException {
    this.path = path;
    this.digest = DigestUtils.getSha256Digest();
    InputStream raw =
        new BufferedInputStream(new DigestInputStream(Files.newInputStream(path), digest), 1 << 16);
    raw.mark(2);
    int b0 = raw.read();
    int b1 = raw.read();
    raw.reset();
    InputStream body = (b0 == 0x1f && b1 == 0x8b) ? new GZIPInputStream(raw, 1 << 16) : raw;
    this.reader = new InputStreamReader(body, StandardCharsets.UTF_8);
  }

  public static CsvInput open(Path path) {
    if (!Files.isRegularFile(path)) {
      throw new DataFormatException(path.toString(), -1, null, "file not found");
    }
    try {
      return new CsvInput(path);
    } catch (IOException e) {
      throw new DataFormatException(path.toString(), "cannot read: " + e.getMessage(), e);
    }
  }

  public Reader reader() {
    return reader;
  }

  /**
   * The rows as CSV records, lenient about ragged rows (missing or extra fields are the loaders'
   * business: they name the row) and blank lines.
   */
  public CsvReader<CsvRecord> records() {
    return CsvReader.builder()
        .skipEmptyLines(true)
        .extraFieldStrategy(FieldMismatchStrategy.IGNORE)
        .missingFieldStrategy(FieldMismatchStrategy.IGNORE)
        .ofCsvRecord(reader);
  }

  /** The header row's fields; an empty file is a {@link DataFormatException} naming the file. */
  public List<String> header(Iterator<CsvRecord> rows) {
    if (!rows.hasNext()) {
      throw new DataFormatException(path.toString(), 1, null, "empty file, expected a header row");
    }
    return rows.next().getFields();
  }

  public Path path() {
    return path;
  }

  /** SHA-256 (hex) of the stored bytes; complete only once the reader has been read to the end. */
  public String sha256() {
    try {
      // Drain what the CSV parser did not consume (e.g. a trailing blank line) so the digest covers
      // the file.
      char[] buf = new char[8192];
      while (reader.read(buf) >= 0) {
        // nothing: reading feeds the digest
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Hex.encodeHexString(digest.digest());
  }

  @Override
  public void close() {
    try {
      reader.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
