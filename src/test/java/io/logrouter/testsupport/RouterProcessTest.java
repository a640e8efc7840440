package io.logrouter.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** RouterProcess on a real child JVM, running a stand-in router that serves /health. */
final class RouterProcessTest {
  /** A cold JVM start on a busy 2-core box takes a few seconds; 60 s only trips on a real hang. */
  private static final Duration GENEROUS = Duration.ofSeconds(60);

  @TempDir
  Path dir;

  @Test
  void startsServesHealthAndExitsCleanlyOnSigterm() throws IOException {
    Path log = dir.resolve("logs/router.log");
    try (RouterProcess router = RouterProcess.start(env("r1"), log, FakeRouter.class.getName())) {
      router.awaitReady(GENEROUS);
      assertTrue(router.isAlive());
      assertNotEquals(ProcessHandle.current().pid(), router.pid());
      assertEquals(0, router.terminate());
      assertFalse(router.isAlive());
    }
    String text = Files.readString(log);
    assertTrue(text.contains("fake router r1 up"), text);
    assertTrue(text.contains("draining"), "SIGTERM ran the shutdown path: " + text);
    assertFalse(text.contains("inherited"), "inherited LOGROUTER_ variables are removed: " + text);
  }

  @Test
  void kill9EndsTheProcessWithoutShutdownAndRestartAppendsToTheLog() throws IOException {
    Path log = dir.resolve("router.log");
    Map<String, String> env = env("r2");
    try (RouterProcess first = RouterProcess.start(env, log, FakeRouter.class.getName())) {
      first.awaitReady(GENEROUS);
      assertEquals(RouterProcess.SIGKILL_EXIT, first.kill9());
      assertFalse(first.isAlive());
    }
    assertFalse(Files.readString(log).contains("draining"), "no shutdown hook runs on SIGKILL");
    try (RouterProcess second = RouterProcess.start(env, log, FakeRouter.class.getName())) {
      second.awaitReady(GENEROUS); // same port again: the killed process released it
    }
    String text = Files.readString(log);
    assertEquals(2, text.split("fake router r2 up", -1).length - 1, text);
  }

  @Test
  void signalsReachTheChild() throws Exception {
    Path log = dir.resolve("router.log");
    try (RouterProcess router = RouterProcess.start(env("r3"), log, FakeRouter.class.getName())) {
      router.awaitReady(GENEROUS);
      router.signal("USR1");
      assertTimeoutPreemptively(GENEROUS, () -> {
        while (!Files.readString(log).contains("flush requested")) {
          Thread.sleep(50); // poll interval: short against the generous bound
        }
      });
    }
  }

  @Test
  void awaitReadyFailsFastWithTheLogWhenTheChildDies() {
    Map<String, String> env = new java.util.HashMap<>(env("r4"));
    env.put("FAKE_ROUTER_FAIL", "1");
    try (RouterProcess router = RouterProcess.start(env, dir.resolve("router.log"), FakeRouter.class.getName())) {
      IllegalStateException e = assertTimeoutPreemptively(GENEROUS,
          () -> assertThrows(IllegalStateException.class, () -> router.awaitReady(GENEROUS)));
      assertTrue(e.getMessage().contains("exited with 3") && e.getMessage().contains("boom: no database"), e.getMessage());
    }
  }

  @Test
  void startWithoutAPortIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> RouterProcess.start(Map.of(), dir.resolve("x.log")));
  }

  private static Map<String, String> env(String routerId) {
    return Map.of("LOGROUTER_HTTP_PORT", Integer.toString(RouterProcess.freePort()), "LOGROUTER_ROUTER_ID", routerId);
  }

  /** Stand-in for io.logrouter.Main: /health, SIGTERM drains and exits 0, SIGUSR1 logs a flush. */
  public static final class FakeRouter {
    public static void main(String[] args) throws IOException {
      String id = System.getenv("LOGROUTER_ROUTER_ID");
      if (System.getenv("FAKE_ROUTER_FAIL") != null) {
        System.err.println("boom: no database");
        System.exit(3); // an arbitrary non-zero code the test can recognise
      }
      System.getenv().keySet().stream().filter(k -> k.startsWith("LOGROUTER_TEST_"))
          .forEach(k -> System.out.println("inherited " + k));
      int port = Integer.parseInt(System.getenv("LOGROUTER_HTTP_PORT"));
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
      server.createContext("/health", exchange -> {
        byte[] ok = "{\"status\":\"ok\"}".getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(200, ok.length);
        exchange.getResponseBody().write(ok);
        exchange.close();
      });
      server.start();
      sun.misc.Signal.handle(new sun.misc.Signal("USR1"), s -> System.out.println("flush requested"));
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        System.out.println("draining");
        server.stop(0);
        System.out.flush();
        Runtime.getRuntime().halt(0); // like the real router: a clean SIGTERM stop exits 0, not 143
      }));
      System.out.println("fake router " + id + " up on " + port);
    }
  }
}
