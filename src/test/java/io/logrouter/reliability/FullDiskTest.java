package io.logrouter.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.logrouter.testsupport.RouterProcess;
import io.logrouter.testsupport.TestHttp;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real, small file system filled by the queue while MySQL is unreachable: the free-disk floor
 * must turn ingest into 503 before Chronicle meets a full disk (which would kill the JVM with
 * SIGBUS). The router runs as a child process, so a crash shows as a dead process, not a dead test.
 * Needs to mount a tmpfs (root); skipped where that is not allowed.
 */
class FullDiskTest {
  /** 160 MB disk with a 40 MB floor: about 120 MB of queue before refusing, in a few seconds. */
  private static final String DISK_SIZE = "160m";

  @TempDir
  Path dir;

  @Test
  void routerRefusesWith503BeforeTheDiskIsFullAndStaysAlive() throws Exception {
    Path mount = dir.resolve("disk");
    Files.createDirectories(mount);
    assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=" + DISK_SIZE, "tmpfs", mount.toString()) == 0,
        "cannot mount a tmpfs here (needs root)");
    RouterProcess router = null;
    try {
      int port = RouterProcess.freePort();
      router = RouterProcess.start(Map.of("LOGROUTER_HTTP_PORT", Integer.toString(port),
          "LOGROUTER_HTTP_HOST", "127.0.0.1",
          "LOGROUTER_DB_URL", "jdbc:mysql://127.0.0.1:1/unreachable", // nothing listens: nothing drains
          "LOGROUTER_QUEUE_DIR", mount.resolve("queue").toString(),
          "LOGROUTER_DISK_MIN_FREE_BYTES", "40MB"), dir.resolve("router.log"));
      router.awaitReady(Duration.ofSeconds(60));
      // Without the floor a full disk leaves requests unanswered (seen here on tmpfs): time out, don't hang.
      String url = "http://127.0.0.1:" + port + "/log";
      String body = "[" + ("{\"message\":\"" + "f".repeat(60_000) + "\"},").repeat(4) + "{}]";
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      TestHttp.Response last = null;
      int accepted = 0;
      for (int i = 0; i < 2_000; i++) {
        last = TestHttp.post(url, bytes, null, null);
        if (last.statusCode() != 202) {
          break;
        }
        accepted++;
      }
      assertEquals(503, last.statusCode(), "never refused after " + accepted + " requests");
      assertTrue(last.body().contains("disk nearly full"), last.body());
      assertTrue(last.header("Retry-After").isPresent());
      assertTrue(accepted > 100, "the disk took " + accepted + " requests before the floor");
      for (int i = 0; i < 50; i++) {
        assertEquals(503, TestHttp.post(url, bytes, null, null).statusCode());
      }
      assertTrue(router.isAlive(), "the router died (SIGBUS?)\n" + router.logTail());
      assertEquals(200, TestHttp.get("http://127.0.0.1:" + port + "/health").statusCode());
    } finally {
      if (router != null) {
        router.kill9();
      }
      run("umount", "-l", mount.toString());
    }
  }

  private static int run(String... command) throws Exception {
    try {
      return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start().waitFor();
    } catch (java.io.IOException e) {
      return -1;
    }
  }
}
