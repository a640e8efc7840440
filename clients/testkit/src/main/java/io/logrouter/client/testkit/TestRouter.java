package io.logrouter.client.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The real router as a child JVM from {@code target/log-router.jar} (system property
 * {@code logrouter.jar}, set by the clients' pom), configured by environment variables like the
 * router's own crash tests: fast flushes, its own queue directory, killable with SIGKILL and
 * restartable on the same port and queue.
 */
public final class TestRouter implements AutoCloseable {
  private final Map<String, String> env;
  private final Path logFile;
  private final int port;
  private Process process;

  private TestRouter(Map<String, String> env, Path logFile, int port) {
    this.env = env;
    this.logFile = logFile;
    this.port = port;
  }

  /** How often the router flushes its queue into MySQL. */
  public enum Flush {
    /** Every 200 ms (retry back-off capped at 1 s): tests see rows soon after a request. */
    FAST,
    /** The router's own defaults (config.ConfigKeys: 10 MB or 30 s), as a deployment runs it. */
    ROUTER_DEFAULTS
  }

  /** Starts a router on a free port writing into {@code jdbcUrl}; waits until /health answers. */
  public static TestRouter start(String jdbcUrl, String user, String password, Path dir, String routerId) {
    return start(jdbcUrl, user, password, dir, routerId, Flush.FAST);
  }

  private static TestRouter start(String jdbcUrl, String user, String password, Path dir, String routerId, Flush flush) {
    int port = freePort();
    Map<String, String> env = new TreeMap<>();
    env.put("LOGROUTER_HTTP_PORT", Integer.toString(port));
    env.put("LOGROUTER_HTTP_HOST", "127.0.0.1");
    env.put("LOGROUTER_DB_URL", jdbcUrl);
    env.put("LOGROUTER_DB_USER", user);
    env.put("LOGROUTER_DB_PASSWORD", password);
    env.put("LOGROUTER_QUEUE_DIR", dir.resolve("queue-" + routerId).toString());
    env.put("LOGROUTER_ROUTER_ID", routerId);
    if (flush == Flush.FAST) {
      env.put("LOGROUTER_FLUSH_INTERVAL", "200ms");
      env.put("LOGROUTER_FLUSH_RETRY_MAX", "1s");
    }
    env.put("LOGROUTER_DISK_MIN_FREE_BYTES", "1MB");
    deleteTree(dir.resolve("queue-" + routerId)); // a previous run's queue would be replayed into this schema
    TestRouter r = new TestRouter(env, dir.resolve("router-" + routerId + ".log"), port);
    r.startProcess();
    return r;
  }

  /**
   * Starts a router on {@code db} and waits until one event went through it into a row (deleted
   * again): the schema is migrated, so a test may kill the router at once without leaving a
   * half-applied migration behind.
   */
  public static TestRouter start(TestSchema db, Path dir, String routerId) {
    return start(db, dir, routerId, Flush.FAST);
  }

  /** Like {@link #start(TestSchema, Path, String)}, with the given flush settings. */
  public static TestRouter start(TestSchema db, Path dir, String routerId, Flush flush) {
    return start(db.jdbcUrl(), db.user(), db.password(), dir, routerId, flush).warmUp(db);
  }

  /** Like {@link #start(TestSchema, Path, String)}, but the router reaches the database at {@code jdbcUrl}. */
  public static TestRouter start(TestSchema db, String jdbcUrl, Path dir, String routerId) {
    return start(jdbcUrl, db.user(), db.password(), dir, routerId).warmUp(db);
  }

  private TestRouter warmUp(TestSchema db) {
    IdempotencyProbe.postOne(url(), "{\"source\":\"warmup\",\"message\":\"warmup\"}");
    long deadline = System.currentTimeMillis() + 60_000;
    while (db.rows() < 1) {
      if (System.currentTimeMillis() > deadline) {
        throw new IllegalStateException("warm-up event never reached MySQL\n" + logTail());
      }
      TestSchema.sleep(100);
    }
    db.execute("DELETE FROM logs WHERE source = 'warmup'");
    return this;
  }

  /** The ingest URL, {@code http://127.0.0.1:<port>/log}. */
  public String url() {
    return "http://127.0.0.1:" + port + "/log";
  }

  public int port() {
    return port;
  }

  public Path logFile() {
    return logFile;
  }

  /** SIGKILL: acked events are on the queue; the rest is the client's to retry. */
  public void kill9() {
    process.destroyForcibly();
    waitExit();
  }

  /** Starts it again on the same port and queue directory. */
  public void restart() {
    if (process != null && process.isAlive()) {
      throw new IllegalStateException("router still running");
    }
    startProcess();
  }

  /** SIGTERM: drain and final flush. */
  public void terminate() {
    if (process != null && process.isAlive()) {
      process.destroy();
      try {
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      waitExit();
    }
  }

  @Override
  public void close() {
    if (process != null && process.isAlive()) {
      kill9();
    }
  }

  private void startProcess() {
    String jar = System.getProperty("logrouter.jar", "../../target/log-router.jar");
    if (!Files.isRegularFile(Path.of(jar))) {
      throw new IllegalStateException("router jar not found at " + jar + ": run `mvn -q -DskipTests package` at the repository root first");
    }
    // logrouter.router.heap: the child's -Xmx (384m unless set; the shipped default is 128m, Dockerfile).
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx" + System.getProperty("logrouter.router.heap", "384m"), "-XX:+UseSerialGC",
        "-Dchronicle.analytics.disable=true", "-Dchronicle.announcer.disable=true",
        "-Djna.tmpdir=" + logFile.getParent().resolve("jna"), "-jar", jar));
    ProcessBuilder b = new ProcessBuilder(cmd).redirectErrorStream(true);
    b.environment().keySet().removeIf(k -> k.startsWith("LOGROUTER_"));
    b.environment().putAll(env);
    // The start-up warm-up adds seconds to every start; the router's StartupWarmupTest covers it.
    b.environment().putIfAbsent("LOGROUTER_JVM_WARMUP_REQUESTS", "0");
    try {
      Files.createDirectories(logFile.getParent());
      b.redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
      process = b.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Process p = process;
    Runtime.getRuntime().addShutdownHook(new Thread(p::destroyForcibly));
    awaitHealthy();
  }

  private void awaitHealthy() {
    long deadline = System.currentTimeMillis() + 60_000;
    while (System.currentTimeMillis() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("router exited with " + process.exitValue() + "\n" + logTail());
      }
      try {
        HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/health").toURL().openConnection();
        c.setConnectTimeout(500);
        c.setReadTimeout(2000);
        if (c.getResponseCode() == 200) {
          c.getInputStream().readAllBytes();
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      TestSchema.sleep(100);
    }
    throw new IllegalStateException("router not healthy after 60 s\n" + logTail());
  }

  private void waitExit() {
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public String logTail() {
    try {
      List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  private static void deleteTree(Path p) {
    if (!Files.exists(p)) {
      return;
    }
    try (java.util.stream.Stream<Path> all = Files.walk(p)) {
      for (Path f : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(f);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
