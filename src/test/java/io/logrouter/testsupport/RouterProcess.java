package io.logrouter.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The router as a child JVM, for crash tests: started on the test JVM's classpath, configured by
 * environment variables only, killed with SIGKILL or stopped with SIGTERM.
 *
 * <p>Inherited {@code LOGROUTER_*} variables are removed, so a developer's shell cannot point a
 * test router at another database; the test's map is the whole configuration. Output (stdout and
 * stderr) is appended to the log file, so restarts of one crash test read as one story.
 */
public final class RouterProcess implements AutoCloseable {
  public static final String MAIN_CLASS = "io.logrouter.Main";
  /** Exit code of a JVM killed by SIGKILL: 128 + signal 9. */
  public static final int SIGKILL_EXIT = 137;
  /**
   * What Chronicle Queue needs on JDK 17+ (the same list as the pom's surefire argLine and the jar
   * manifest), analytics off, and a heap cap so two routers and the test fit on a 2-core CI box.
   */
  static final List<String> JVM_FLAGS = List.of(
      "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED",
      "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
      "--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED",
      "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
      "--add-opens=java.base/java.lang=ALL-UNNAMED",
      "--add-opens=java.base/java.nio=ALL-UNNAMED",
      "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
      "-Dchronicle.analytics.disable=true",
      "-Dchronicle.announcer.disable=true",
      "-Xmx512m");
  /**
   * Default wait for SIGTERM: drain plus a final flush of up to one full batch (10 MB) to a
   * possibly slow database; a minute is generous, and only a hung shutdown reaches it.
   */
  private static final Duration TERMINATE_TIMEOUT = Duration.ofSeconds(60);
  /** Health polling interval: fast enough to add little to a test, slow enough to be idle. */
  private static final Duration POLL = Duration.ofMillis(100);
  /** Lines of the log quoted in a failure message: enough for a stack trace's top. */
  private static final int TAIL_LINES = 40;

  private final Process process;
  private final int port;
  private final Path logFile;
  private final Thread reaper;

  private RouterProcess(Process process, int port, Path logFile) {
    this.process = process;
    this.port = port;
    this.logFile = logFile;
    this.reaper = new Thread(process::destroyForcibly, "router-process-reaper-" + process.pid());
    Runtime.getRuntime().addShutdownHook(reaper); // a dying test JVM must not leave routers behind
  }

  /** Starts {@code io.logrouter.Main}; {@code env} must hold {@code LOGROUTER_HTTP_PORT}. */
  public static RouterProcess start(Map<String, String> env, Path logFile) {
    return start(env, logFile, MAIN_CLASS);
  }

  /** Starts {@code mainClass} (any class on the test classpath) like the router. */
  public static RouterProcess start(Map<String, String> env, Path logFile, String mainClass) {
    String portText = env.get("LOGROUTER_HTTP_PORT");
    if (portText == null) {
      throw new IllegalArgumentException("env must set LOGROUTER_HTTP_PORT (see freePort())");
    }
    int port = Integer.parseInt(portText);
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(JVM_FLAGS);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().keySet().removeIf(k -> k.startsWith("LOGROUTER_"));
    builder.environment().putAll(env);
    // Seconds per start, and crash tests restart many times; StartupWarmupTest runs it in a child JVM.
    builder.environment().putIfAbsent("LOGROUTER_JVM_WARMUP_REQUESTS", "0");
    try {
      Path parent = logFile.toAbsolutePath().getParent();
      Files.createDirectories(parent);
      builder.redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
      return new RouterProcess(builder.start(), port, logFile);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + mainClass, e);
    }
  }

  /**
   * A port that was free a moment ago. Racy in principle (another process may take it before the
   * router binds), which on a test box is rare enough; a bind failure shows in awaitReady.
   */
  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Polls {@code GET /health} until it answers 200. Fails at once, quoting the log, if the process
   * exits first, and after {@code timeout} otherwise.
   */
  public void awaitReady(Duration timeout) {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
        .timeout(Duration.ofSeconds(2)) // a live router answers health in milliseconds
        .GET().build();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      if (!process.isAlive()) {
        throw new IllegalStateException("router exited with " + process.exitValue() + " before ready\n" + logTail());
      }
      if (healthy(client, health)) {
        return;
      }
      if (System.nanoTime() - deadline > 0) {
        throw new IllegalStateException("router not ready after " + timeout + "\n" + logTail());
      }
      sleep(POLL);
    }
  }

  /** SIGKILL, then waits for the exit; returns the exit code ({@link #SIGKILL_EXIT}). */
  public int kill9() {
    process.destroyForcibly();
    return awaitExit();
  }

  /** SIGTERM, then waits up to 60 s for a clean exit; returns the exit code. */
  public int terminate() {
    return terminate(TERMINATE_TIMEOUT);
  }

  /**
   * SIGTERM, then waits up to {@code timeout}; returns the exit code. A router still running then
   * is killed and reported as an error: a shutdown that hangs is a bug the test must see.
   */
  public int terminate(Duration timeout) {
    process.destroy();
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        awaitExit();
        throw new IllegalStateException("router ignored SIGTERM for " + timeout + "\n" + logTail());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the router", e);
    }
    return awaitExit();
  }

  /** Sends a signal by name, e.g. {@code USR1} (flush now) or {@code STOP}/{@code CONT} (freeze). */
  public void signal(String name) {
    try {
      Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
      if (kill.waitFor() != 0) {
        throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public int port() {
    return port;
  }

  public Path logFile() {
    return logFile;
  }

  /** The last lines of the log file, for failure messages. */
  public String logTail() {
    try {
      List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size()));
    } catch (IOException | UncheckedIOException e) {
      return "(log unreadable: " + e + ")";
    }
  }

  /** Kills the router if it still runs: for try-with-resources and @AfterEach. */
  @Override
  public void close() {
    if (process.isAlive()) {
      kill9();
    } else {
      awaitExit();
    }
  }

  private int awaitExit() {
    try {
      int code = process.waitFor();
      removeReaper();
      return code;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the router", e);
    }
  }

  private void removeReaper() {
    try {
      Runtime.getRuntime().removeShutdownHook(reaper);
    } catch (IllegalStateException shuttingDown) {
      // the JVM is exiting: the hook runs once more, harmlessly, on a dead process
    }
  }

  private static boolean healthy(HttpClient client, HttpRequest health) {
    try {
      return client.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      return false; // not listening yet
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the router", e);
    }
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the router", e);
    }
  }
}
