package dev.almanac.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Sha256Test {
  @TempDir Path tmp;

  @Test
  void digestsAFileAsFips180Says() throws Exception {
    Path f = tmp.resolve("abc");
    Files.writeString(f, "abc", StandardCharsets.US_ASCII);
    String expected =
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"; // FIPS 180-2, "abc"
    assertThat(Sha256.hex(f)).isEqualTo(expected);
    assertThat(HexFormat.of().formatHex(Sha256.of(f))).isEqualTo(expected);
  }
}
