package dev.almanac.charttests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** One external tool invocation (helm, kubectl, promtool) with a timeout; output captured. */
record Command(List<String> args, Map<String, String> env, String stdin, Duration timeout) {
  static final Duration DEFAULT_TIMEOUT = dev.almanac.testbed.Timeouts.seconds(60);

  static Command of(Path tool, String... args) {
    var all = new ArrayList<String>();
    all.add(tool.toString());
    all.addAll(List.of(args));
    return new Command(List.copyOf(all), Map.of(), null, DEFAULT_TIMEOUT);
  }

  Command withArgs(List<String> more) {
    var all = new ArrayList<>(args);
    all.addAll(more);
    return new Command(List.copyOf(all), env, stdin, timeout);
  }

  Command withEnv(Map<String, String> more) {
    return new Command(args, more, stdin, timeout);
  }

  Command withStdin(String input) {
    return new Command(args, env, input, timeout);
  }

  Result run() {
    try {
      var out = Files.createTempFile("almanac-cmd", ".out");
      var err = Files.createTempFile("almanac-cmd", ".err");
      try {
        var builder =
            new ProcessBuilder(args).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().putAll(env);
        var process = builder.start();
        try (var in = process.getOutputStream()) {
          if (stdin != null) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
          }
        }
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
          process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
          throw new IllegalStateException(
              "timed out after " + timeout + ": " + String.join(" ", args));
        }
        return new Result(this, process.exitValue(), Files.readString(out), Files.readString(err));
      } finally {
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + String.join(" ", args), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted: " + String.join(" ", args), e);
    }
  }

  /** Runs and fails with the tool's own output unless it exits 0. */
  String runOk() {
    var result = run();
    if (result.exitCode() != 0) {
      throw new AssertionError(result.describe());
    }
    return result.stdout();
  }

  record Result(Command command, int exitCode, String stdout, String stderr) {
    String describe() {
      return String.join(" ", command.args())
          + " exited "
          + exitCode
          + "\nstdout:\n"
          + stdout
          + "\nstderr:\n"
          + stderr;
    }

    String output() {
      return stdout + stderr;
    }
  }
}
