package io.logrouter.testsupport;

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

/**
 * A main class of the test classpath in a child JVM with its own working directory, as a user
 * would start it from a checkout: for the command line and the dev launcher. Inherited
 * {@code LOGROUTER_*} variables are removed; {@code env} is the whole configuration.
 */
public final class ChildJvm implements AutoCloseable {
  private final Process process;
  private final Path out;
  private final Path err;

  private ChildJvm(Process process, Path out, Path err) {
    this.process = process;
    this.out = out;
    this.err = err;
    Runtime.getRuntime().addShutdownHook(new Thread(process::destroy));
  }

  /** Starts {@code mainClass args} in {@code workDir}; stdout and stderr go to files there. */
  public static ChildJvm start(Path workDir, Map<String, String> env, String mainClass, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(RouterProcess.JVM_FLAGS);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass);
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile());
    builder.environment().keySet().removeIf(k -> k.startsWith("LOGROUTER_"));
    builder.environment().putAll(env);
    // The start-up warm-up adds seconds to every start; the router's StartupWarmupTest covers it.
    builder.environment().putIfAbsent("LOGROUTER_JVM_WARMUP_REQUESTS", "0");
    try {
      Files.createDirectories(workDir);
      Path out = Files.createTempFile(workDir, "stdout", ".txt");
      Path err = Files.createTempFile(workDir, "stderr", ".txt");
      builder.redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile()));
      builder.redirectError(ProcessBuilder.Redirect.appendTo(err.toFile()));
      return new ChildJvm(builder.start(), out, err);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits for the exit; a process still running after {@code timeout} is killed and reported. */
  public int awaitExit(Duration timeout) {
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor();
        throw new AssertionError("still running after " + timeout + " (killed)\nstdout:\n" + stdout() + "\nstderr:\n" + stderr());
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** SIGTERM, then {@link #awaitExit}. */
  public int terminate(Duration timeout) {
    process.destroy();
    return awaitExit(timeout);
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public String stdout() {
    return read(out);
  }

  public String stderr() {
    return read(err);
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }

  /**
   * SIGTERM first, so the child's shutdown hooks run (the dev launcher stops its database there:
   * a SIGKILL would orphan the mariadbd child); SIGKILL only if it is still alive a minute later.
   */
  @Override
  public void close() {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
