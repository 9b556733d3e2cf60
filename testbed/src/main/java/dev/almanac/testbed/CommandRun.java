package dev.almanac.testbed;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A command run to its end, stderr merged into stdout. The output goes through a temporary file, so
 * a chatty command never blocks on a full pipe.
 *
 * @param output what it printed (until it was ended, on a timeout)
 * @param exitCode its exit code; -1 when it timed out
 * @param timedOut whether it was still running at the timeout and was ended
 */
public record CommandRun(String output, int exitCode, boolean timedOut) {

  /**
   * Runs {@code command} for at most {@code timeout}; one still running then is asked to stop
   * (SIGTERM), with the processes it started.
   */
  public static CommandRun of(List<String> command, Duration timeout)
      throws IOException, InterruptedException {
    var out = Files.createTempFile("command", ".out");
    try {
      var process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(out.toFile())
              .start();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        return new CommandRun(Files.readString(out, StandardCharsets.UTF_8), -1, true);
      }
      return new CommandRun(
          Files.readString(out, StandardCharsets.UTF_8), process.exitValue(), false);
    } finally {
      Files.deleteIfExists(out);
    }
  }

  /** The last {@code lines} lines of the output. */
  public String tail(int lines) {
    var all = output.lines().toList();
    return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
  }
}
