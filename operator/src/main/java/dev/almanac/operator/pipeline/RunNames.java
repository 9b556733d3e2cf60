package dev.almanac.operator.pipeline;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;
import org.apache.commons.codec.digest.DigestUtils;

/**
 * Run names (= Job and ConfigMap names) are pure functions of the pipeline and what triggered the
 * run, so a restarted operator that creates the same run again gets 409, never a duplicate. Names
 * stay within 52 characters: the Job controller appends pod suffixes and the name is a label value.
 */
public final class RunNames {
  static final int MAX = 52;

  private RunNames() {}

  /** A scheduled run: pipeline + minute of the scheduled time. */
  public static String scheduled(HasMetadata pipeline, Instant scheduledTime) {
    return withSuffix(pipeline, "-" + scheduledTime.getEpochSecond() / 60);
  }

  /** The run of an unscheduled pipeline for one spec generation. */
  public static String specChange(HasMetadata pipeline, long generation) {
    return withSuffix(pipeline, "-g" + generation);
  }

  /** The run answering one value of the run-now annotation. */
  public static String runNow(HasMetadata pipeline, String annotationValue) {
    return withSuffix(pipeline, "-now-" + hash(annotationValue, 8));
  }

  private static String withSuffix(HasMetadata pipeline, String suffix) {
    var name = pipeline.getMetadata().getName().toLowerCase(Locale.ROOT);
    int room = MAX - suffix.length();
    if (name.length() > room) {
      var h = hash(name, 6);
      name = name.substring(0, room - h.length() - 1) + "-" + h;
    }
    name = name.replaceAll("[^a-z0-9-]", "-").replaceAll("-+$", "");
    return name + suffix;
  }

  static String hash(String s, int hexChars) {
    return DigestUtils.sha256Hex(s.getBytes(StandardCharsets.UTF_8)).substring(0, hexChars);
  }
}
