package dev.almanac.trainer.models;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes lightgbm4j unpack its natives into a private directory instead of the shared {@code
 * /tmp/lib_lightgbm*.so}: it rewrites those fixed paths on every JVM start, which kills any other
 * JVM on the machine that is loading or running them (SIGBUS in ld.so / SIGSEGV in lightgbmlibJNI,
 * seen with two test JVMs). lightgbm4j reads {@code java.io.tmpdir} once, in the static initializer
 * of LGBMBooster, so the property is pointed at a fresh directory for exactly that moment. {@code
 * LIGHTGBM_NATIVE_LIB_PATH}, lightgbm4j's own override, wins when set.
 */
final class LightGbmNatives {
  private static final Logger LOG = LoggerFactory.getLogger(LightGbmNatives.class);
  private static final String BOOSTER_CLASS = "io.github.metarank.lightgbm4j.LGBMBooster";
  private static boolean done;

  private LightGbmNatives() {}

  static synchronized void ensureLoaded() {
    if (done) {
      return;
    }
    done = true;
    if (System.getenv("LIGHTGBM_NATIVE_LIB_PATH") != null) {
      return;
    }
    String original = System.getProperty("java.io.tmpdir");
    Path dir = null;
    try {
      // both JDK temp-file helpers cache java.io.tmpdir on first use: make sure that is not now
      dir = Files.createTempDirectory("almanac-lightgbm-");
      java.io.File.createTempFile("almanac-", ".probe").delete();
      System.setProperty("java.io.tmpdir", dir.toString());
      Class.forName(BOOSTER_CLASS, true, LightGbmNatives.class.getClassLoader());
    } catch (IOException | ClassNotFoundException e) {
      LOG.warn(
          "could not give LightGBM a private native directory ({}); it uses {}",
          e.toString(),
          original);
    } finally {
      System.setProperty("java.io.tmpdir", original);
    }
    if (dir != null) {
      deleteOnExit(dir);
    }
  }

  /** Not deleted now: code on another thread may have read the property during the switch. */
  private static void deleteOnExit(Path dir) {
    dir.toFile().deleteOnExit(); // registered first, deleted last
    try (Stream<Path> files = Files.list(dir)) {
      files.forEach(f -> f.toFile().deleteOnExit());
    } catch (IOException e) {
      LOG.debug("cannot list {}: {}", dir, e.toString());
    }
  }
}
