package io.logrouter.syslog;

import static io.logrouter.syslog.SyslogTestSupport.awaitRows;
import static io.logrouter.syslog.SyslogTestSupport.octetCounted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.logrouter.testsupport.Await;
import io.logrouter.testsupport.RouterHarness;
import io.logrouter.testsupport.TcpProxy;
import io.logrouter.testsupport.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A dead MySQL and a tiny backlog limit: the router stops reading the syslog socket, so the TCP sender
 * blocks instead of anything being dropped; once MySQL is back every message lands exactly once.
 */
class SyslogBackPressureTest {
  private static final int MESSAGES = 100_000;
  private static final int PER_WRITE = 100;

  @TempDir
  Path queueDir;

  @Test
  void aFullBacklogBlocksTheTcpSenderAndLosesNothing() throws Exception {
    try (TestDatabase db = TestDatabase.create("syslog_bp");
        TcpProxy proxy = db.startProxy()) {
      proxy.cut();
      try (RouterHarness router = SyslogTestSupport.router(db, queueDir, Map.of("db.url", db.jdbcUrlThrough(proxy),
          "queue.max.bytes", "20KB", "flush.retry.initial", "50ms", "flush.retry.max", "500ms"))) {
        AtomicInteger written = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread sender = new Thread(() -> send(router.router().syslog().tcpPort(), written, failure), "syslog-sender");
        sender.start();
        Await.until("the backlog gate refuses", Duration.ofSeconds(30),
            () -> router.router().gate().refusal() != null);
        Await.until("the sender blocks", Duration.ofSeconds(60), () -> {
          int before = written.get();
          sleep(1500);
          return written.get() == before;
        });
        int blockedAt = written.get();
        assertTrue(blockedAt < MESSAGES, "the sender was held back, at " + blockedAt);
        assertTrue(sender.isAlive(), "the connection stays open while blocked");
        assertNull(failure.get(), "the sender got no error");
        proxy.restore();
        sender.join(120_000);
        assertNull(failure.get(), "the sender got no error");
        assertEquals(MESSAGES, written.get());
        awaitRows(router, db, "source = 'bp'", MESSAGES, Duration.ofSeconds(120));
        assertEquals(MESSAGES, db.queryLong("SELECT COUNT(*) FROM logs"), "none duplicated");
        assertEquals(MESSAGES, db.queryLong("SELECT COUNT(DISTINCT message) FROM logs"), "none lost");
      }
    }
  }

  private static void send(int port, AtomicInteger written, AtomicReference<Throwable> failure) {
    try (Socket s = new Socket("127.0.0.1", port); OutputStream out = s.getOutputStream()) {
      String pad = "p".repeat(150);
      for (int i = 0; i < MESSAGES; i += PER_WRITE) {
        ByteArrayOutputStream chunk = new ByteArrayOutputStream();
        for (int j = i; j < i + PER_WRITE; j++) {
          chunk.writeBytes(octetCounted("<14>1 2026-12-01T10:00:00Z h bp - - - seq " + j + " " + pad));
        }
        out.write(chunk.toByteArray());
        written.addAndGet(PER_WRITE);
      }
    } catch (Throwable e) {
      failure.set(e);
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
